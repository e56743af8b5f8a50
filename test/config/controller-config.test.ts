import { CONTROLLER_VARIABLES, ConfigError, DEFAULT_CODE_GIT_URL, loadControllerConfig } from '../../shared/config';

const VALID: NodeJS.ProcessEnv = {
  SPA_CD_ACCOUNT: '123456789012',
  SPA_CD_REGION: 'eu-west-1',
  SPA_CD_REPOSITORY: 'spa-settings',
  SPA_CD_TABLE: 'spa-cd-history',
  SPA_CD_ENVIRONMENTS: JSON.stringify([
    { name: 'prod', path: 'environments/prod', project: 'spa-cd-prod' },
    { name: 'sandbox', path: 'environments/sandbox', project: 'spa-cd-sandbox' },
  ]),
  SPA_CD_DEVOPS_ACCOUNT: '210987654321',
  SPA_CD_TRIGGER_ROLE_ARN: 'arn:aws:iam::210987654321:role/spa-cd-trigger',
  SPA_CD_EXTERNAL_ID: 'spa-cd-7Kq2xT',
};

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadControllerConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('Function: loadControllerConfig', () => {
  it('reads a complete configuration and applies the defaults', () => {
    // Act
    const config = loadControllerConfig(VALID);

    // Assess
    expect(config).toEqual({
      account: '123456789012',
      region: 'eu-west-1',
      repository: 'spa-settings',
      trunk: 'main',
      table: 'spa-cd-history',
      environments: [
        { name: 'prod', path: 'environments/prod', project: 'spa-cd-prod' },
        { name: 'sandbox', path: 'environments/sandbox', project: 'spa-cd-sandbox' },
      ],
      devopsAccount: '210987654321',
      triggerRoleArn: 'arn:aws:iam::210987654321:role/spa-cd-trigger',
      externalId: 'spa-cd-7Kq2xT',
      buildRegion: 'eu-west-1',
      defaultCodeGitUrl: DEFAULT_CODE_GIT_URL,
      approvalGating: false,
      buildTimeoutMinutes: 120,
    });
  });

  it('reads the optional variables when they are set', () => {
    // Prepare
    const env = {
      ...VALID,
      SPA_CD_TRUNK: 'trunk',
      SPA_CD_BUILD_REGION: 'us-east-1',
      SPA_CD_DEFAULT_CODE_GIT_URL: 'https://git.example.com/spa.git',
      SPA_CD_APPROVAL_GATING: 'true',
      SPA_CD_BUILD_TIMEOUT_MINUTES: '480',
    };

    // Act
    const config = loadControllerConfig(env);

    // Assess
    expect(config).toMatchObject({
      trunk: 'trunk',
      buildRegion: 'us-east-1',
      defaultCodeGitUrl: 'https://git.example.com/spa.git',
      approvalGating: true,
      buildTimeoutMinutes: 480,
    });
  });

  it('treats an empty variable as unset', () => {
    // Act
    const config = loadControllerConfig({ ...VALID, SPA_CD_TRUNK: '', SPA_CD_APPROVAL_GATING: '' });

    // Assess
    expect(config).toMatchObject({ trunk: 'main', approvalGating: false });
  });

  it.each(['SPA_CD_ACCOUNT', 'SPA_CD_REGION', 'SPA_CD_REPOSITORY', 'SPA_CD_TABLE', 'SPA_CD_ENVIRONMENTS', 'SPA_CD_DEVOPS_ACCOUNT', 'SPA_CD_TRIGGER_ROLE_ARN', 'SPA_CD_EXTERNAL_ID'])(
    'names the missing required variable %s',
    (name) => {
      // Prepare
      const env = { ...VALID, [name]: undefined };

      // Act
      const error = configError(env);

      // Assess
      expect(error.issues).toEqual([{ variable: name, message: expect.stringMatching(/^is missing: /) }]);
      expect(error.message).toContain(`${name} is missing`);
    },
  );

  it.each([
    ['SPA_CD_ACCOUNT', '12345', 'is invalid: expected a 12-digit AWS account id (got "12345")'],
    ['SPA_CD_REGION', 'Europe', 'is invalid: expected an AWS region name such as eu-west-1 (got "Europe")'],
    ['SPA_CD_REPOSITORY', 'my repo', 'is invalid: expected a CodeCommit repository name'],
    ['SPA_CD_TRUNK', 'refs/heads/main', 'is invalid: expected a branch name such as main (not refs/heads/main)'],
    ['SPA_CD_TRUNK', 'ma in', 'is invalid: expected a branch name'],
    ['SPA_CD_TABLE', 'x', 'is invalid: expected a DynamoDB table name'],
    ['SPA_CD_ENVIRONMENTS', 'prod', 'is invalid: not valid JSON'],
    ['SPA_CD_ENVIRONMENTS', '[]', 'is invalid: expected at least one environment'],
    ['SPA_CD_ENVIRONMENTS', '{"name":"prod"}', 'is invalid: Invalid input: expected array, received object'],
    ['SPA_CD_ENVIRONMENTS', '[{"name":"prod","path":"prod","project":"p1"}]', 'is invalid: [0].path: expected environments/<name>'],
    ['SPA_CD_ENVIRONMENTS', '[{"name":"../x","path":"environments/../x","project":"p1"}]', 'is invalid: [0].name: expected a folder name'],
    ['SPA_CD_ENVIRONMENTS', '[{"name":"prod","path":"environments/prod","project":"p 1"}]', 'is invalid: [0].project: expected a CodeBuild project name'],
    ['SPA_CD_ENVIRONMENTS', '[{"name":"prod","path":"environments/prod","project":"p1","extra":1}]', 'is invalid: [0]: Unrecognized key'],
    [
      'SPA_CD_ENVIRONMENTS',
      '[{"name":"a","path":"environments/a","project":"p1"},{"name":"b","path":"environments/b","project":"p1"}]',
      'is invalid: [1].project: duplicate project',
    ],
    [
      'SPA_CD_ENVIRONMENTS',
      '[{"name":"a","path":"environments/a","project":"p1"},{"name":"a","path":"environments/a","project":"p2"}]',
      'is invalid: [1].name: duplicate name',
    ],
    ['SPA_CD_TRIGGER_ROLE_ARN', 'spa-cd-trigger', 'is invalid: expected an IAM role ARN'],
    ['SPA_CD_TRIGGER_ROLE_ARN', 'arn:aws:iam::999999999999:role/spa-cd-trigger', 'is invalid: the role is in account 999999999999, not in SPA_CD_DEVOPS_ACCOUNT 210987654321'],
    ['SPA_CD_BUILD_REGION', 'mars-1', 'is invalid: expected an AWS region name'],
    ['SPA_CD_DEFAULT_CODE_GIT_URL', 'http://github.com/x.git', 'is invalid: expected an https URL without credentials'],
    ['SPA_CD_DEFAULT_CODE_GIT_URL', 'https://user:token@github.com/x.git', 'is invalid: expected an https URL without credentials'],
    ['SPA_CD_APPROVAL_GATING', 'yes', 'is invalid: expected "true" or "false" (got "yes")'],
    ['SPA_CD_BUILD_TIMEOUT_MINUTES', '2', 'is invalid: expected a whole number of minutes from 5 to 2160'],
    ['SPA_CD_BUILD_TIMEOUT_MINUTES', '1.5', 'is invalid: expected a whole number of minutes from 5 to 2160'],
    ['SPA_CD_BUILD_TIMEOUT_MINUTES', '10000', 'is invalid: expected a whole number of minutes from 5 to 2160'],
  ])('names the bad variable %s = %p', (name, value, message) => {
    // Prepare
    const env = { ...VALID, [name]: value };

    // Act
    const error = configError(env);

    // Assess
    expect(error.issues).toEqual([{ variable: name, message: expect.stringContaining(message) }]);
  });

  it('never echoes the external id', () => {
    // Prepare
    const env = { ...VALID, SPA_CD_EXTERNAL_ID: 'secret value with spaces' };

    // Act
    const error = configError(env);

    // Assess
    expect(error.issues).toEqual([{ variable: 'SPA_CD_EXTERNAL_ID', message: expect.stringMatching(/^is invalid: /) }]);
    expect(error.message).not.toContain('secret');
  });

  it('escapes a hostile value in the message', () => {
    // Prepare
    const env = { ...VALID, SPA_CD_REGION: 'eu\nERROR forged' };

    // Act
    const error = configError(env);

    // Assess
    expect(error.message).not.toContain('\n');
    expect(error.message).toContain('eu\\u{a}ERROR forged');
  });

  it('lists every problem at once', () => {
    // Prepare
    const env = { ...VALID, SPA_CD_ACCOUNT: undefined, SPA_CD_APPROVAL_GATING: 'maybe' };

    // Act
    const error = configError(env);

    // Assess
    expect(error.issues.map((issue) => issue.variable)).toEqual(['SPA_CD_ACCOUNT', 'SPA_CD_APPROVAL_GATING']);
  });
});

describe('Constant: CONTROLLER_VARIABLES', () => {
  it('documents every variable with a description, and a default for each optional one', () => {
    // Prepare
    const optional = ['SPA_CD_TRUNK', 'SPA_CD_BUILD_REGION', 'SPA_CD_DEFAULT_CODE_GIT_URL', 'SPA_CD_APPROVAL_GATING', 'SPA_CD_BUILD_TIMEOUT_MINUTES'];

    // Act
    const withDefault = CONTROLLER_VARIABLES.filter((variable) => 'default' in variable).map((variable) => variable.name);

    // Assess
    expect(CONTROLLER_VARIABLES.map((variable) => variable.name)).toHaveLength(13);
    expect(CONTROLLER_VARIABLES.every((variable) => variable.description.length > 20)).toBe(true);
    expect(withDefault).toEqual(optional);
  });

  it('lists exactly the variables a complete configuration needs', () => {
    // Prepare
    const required = CONTROLLER_VARIABLES.filter((variable) => !('default' in variable)).map((variable) => variable.name);

    // Act
    const env = Object.fromEntries(required.map((name) => [name, VALID[name]]));

    // Assess
    expect(() => loadControllerConfig(env)).not.toThrow();
  });
});
