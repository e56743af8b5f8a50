/**
 * The controller's configuration: Lambda environment variables, parsed once at cold start.
 * A bad or missing variable is a `ConfigError` naming every variable at fault and what it should hold.
 */
import { z } from 'zod';
import { ACCOUNT_ID, EXTERNAL_ID, IAM_ROLE_ARN, PROJECT_NAME, REGION, REPOSITORY_NAME, isValidRefName } from '../events/primitives';
import { escapeForLog } from '../events/parse';

export { DEFAULT_CODE_GIT_URL } from '../domain/settings/deployment-manifest';
import { DEFAULT_CODE_GIT_URL } from '../domain/settings/deployment-manifest';
export const DEFAULT_TRUNK = 'main';
export const DEFAULT_BUILD_TIMEOUT_MINUTES = 120;

export interface EnvironmentConfig {
  /** SPA environment name: the folder `environments/<name>` of the settings repository. */
  readonly name: string;
  /** Always `environments/<name>`. */
  readonly path: string;
  /** The CodeBuild project of this environment in the DevOps account. */
  readonly project: string;
}

export interface ControllerConfig {
  readonly account: string;
  readonly region: string;
  readonly repository: string;
  readonly trunk: string;
  readonly table: string;
  readonly environments: readonly EnvironmentConfig[];
  readonly devopsAccount: string;
  readonly triggerRoleArn: string;
  readonly externalId: string;
  readonly buildRegion: string;
  readonly defaultCodeGitUrl: string;
  readonly approvalGating: boolean;
  readonly buildTimeoutMinutes: number;
}

export interface ConfigVariable {
  readonly name: string;
  readonly description: string;
  /** Shown in documentation; for a variable with a default, the default. */
  readonly example: string;
  /** The default as documented, or undefined when the variable is required. */
  readonly default?: string;
  /** Never echoed in an error message. */
  readonly sensitive?: boolean;
}

/** Every variable the controller reads, in documentation order (the README is generated from this list). */
export const CONTROLLER_VARIABLES = [
  { name: 'SPA_CD_ACCOUNT', description: 'CloudOps account id (12 digits): where the settings repository and the controller live; CodeCommit events from any other account are ignored.', example: '123456789012' },
  { name: 'SPA_CD_REGION', description: 'Region of the settings repository and the controller; CodeCommit events from any other region are ignored.', example: 'eu-west-1' },
  { name: 'SPA_CD_REPOSITORY', description: 'Name of the CodeCommit settings repository.', example: 'spa-settings' },
  { name: 'SPA_CD_TRUNK', description: 'Trunk branch: a merge to it deploys, pull requests to it are reviewed.', example: DEFAULT_TRUNK, default: DEFAULT_TRUNK },
  { name: 'SPA_CD_TABLE', description: 'DynamoDB table of the deployment history.', example: 'spa-cd-history' },
  {
    name: 'SPA_CD_ENVIRONMENTS',
    description: 'JSON array of the deployable environments: `{"name": ..., "path": "environments/<name>", "project": <CodeBuild project>}` each; names and projects unique.',
    example: '[{"name":"prod","path":"environments/prod","project":"spa-cd-prod"}]',
  },
  { name: 'SPA_CD_DEVOPS_ACCOUNT', description: 'DevOps account id (12 digits): where the CodeBuild projects run; build events from any other account are ignored.', example: '210987654321' },
  { name: 'SPA_CD_TRIGGER_ROLE_ARN', description: 'ARN of the trigger role in the DevOps account that the controller assumes to start and inspect builds.', example: 'arn:aws:iam::210987654321:role/spa-cd-trigger' },
  { name: 'SPA_CD_EXTERNAL_ID', description: 'ExternalId required by the trust policy of the trigger role (2-1224 characters of `[\\w+=,.@:/-]`).', example: 'spa-cd-7Kq2xT', sensitive: true },
  { name: 'SPA_CD_BUILD_REGION', description: 'Region of the CodeBuild projects (and of their state change events).', example: 'eu-west-1', default: 'the value of SPA_CD_REGION' },
  { name: 'SPA_CD_DEFAULT_CODE_GIT_URL', description: 'SPA code repository (https, no credentials) used when an environment\'s deployment.yaml sets no code_git_url.', example: DEFAULT_CODE_GIT_URL, default: DEFAULT_CODE_GIT_URL },
  { name: 'SPA_CD_APPROVAL_GATING', description: '`true` to APPROVE valid pull requests and REVOKE invalid ones, `false` to only comment.', example: 'false', default: 'false' },
  { name: 'SPA_CD_BUILD_TIMEOUT_MINUTES', description: 'Minutes after which a running deployment is checked against its build (whole number, 5-2160).', example: String(DEFAULT_BUILD_TIMEOUT_MINUTES), default: String(DEFAULT_BUILD_TIMEOUT_MINUTES) },
] as const satisfies readonly ConfigVariable[];

export type ControllerVariableName = (typeof CONTROLLER_VARIABLES)[number]['name'];

export interface ConfigIssue {
  readonly variable: string;
  readonly message: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(`invalid controller configuration: ${issues.map((issue) => `${issue.variable} ${issue.message}`).join('; ')}`);
  }
}

const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

const environmentSchema = z
  .strictObject({
    name: z.string().regex(ENVIRONMENT_NAME, 'expected a folder name (letters, digits, ".", "_", "-"; at most 63)'),
    path: z.string(),
    project: z.string().regex(PROJECT_NAME, 'expected a CodeBuild project name (letters, digits, "_", "-"; 2 to 255)'),
  })
  .refine((environment) => environment.path === `environments/${environment.name}`, {
    message: 'expected environments/<name>',
    path: ['path'],
  });

const environmentsSchema = z
  .array(environmentSchema)
  .min(1, 'expected at least one environment')
  .superRefine((environments, context) => {
    for (const key of ['name', 'project'] as const) {
      const seen = new Set<string>();
      environments.forEach((environment, index) => {
        if (seen.has(environment[key])) context.addIssue({ code: 'custom', path: [index, key], message: `duplicate ${key}` });
        seen.add(environment[key]);
      });
    }
  });

function httpsUrlWithoutCredentials(value: string): boolean {
  if (!URL.canParse(value) || /\s/.test(value)) return false;
  const url = new URL(value);
  return url.protocol === 'https:' && url.username === '' && url.password === '' && url.search === '' && url.hash === '';
}

type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };
const accept = <T>(value: T): Checked<T> => ({ ok: true, value });
const reject = (message: string): Checked<never> => ({ ok: false, message });
const pattern = (regex: RegExp, message: string) => (value: string) => (regex.test(value) ? accept(value) : reject(message));

/**
 * Reads and checks every variable; throws one `ConfigError` listing all problems.
 * Call it once at module scope (cold start) and pass the result down.
 */
export function loadControllerConfig(env: NodeJS.ProcessEnv): ControllerConfig {
  const issues: ConfigIssue[] = [];

  function read<T>(name: ControllerVariableName, check: (value: string) => Checked<T>, fallback?: T): T | undefined {
    const variable: ConfigVariable = CONTROLLER_VARIABLES.find((candidate) => candidate.name === name) ?? { name, description: '', example: '' };
    const value = env[name];
    if (value === undefined || value === '') {
      if (fallback !== undefined) return fallback;
      issues.push({ variable: name, message: `is missing: ${variable.description}` });
      return undefined;
    }
    const checked = check(value);
    if (checked.ok) return checked.value;
    const got = variable.sensitive ? '' : ` (got "${escapeForLog(value, 80)}")`;
    issues.push({ variable: name, message: `is invalid: ${checked.message}${got}` });
    return undefined;
  }

  const account = read('SPA_CD_ACCOUNT', pattern(ACCOUNT_ID, 'expected a 12-digit AWS account id'));
  const region = read('SPA_CD_REGION', pattern(REGION, 'expected an AWS region name such as eu-west-1'));
  const repository = read('SPA_CD_REPOSITORY', pattern(REPOSITORY_NAME, 'expected a CodeCommit repository name (letters, digits, ".", "_", "-"; at most 100)'));
  const trunk = read(
    'SPA_CD_TRUNK',
    (value) => (isValidRefName(value) && !value.startsWith('refs/') ? accept(value) : reject('expected a branch name such as main (not refs/heads/main)')),
    DEFAULT_TRUNK,
  );
  const table = read('SPA_CD_TABLE', pattern(TABLE_NAME, 'expected a DynamoDB table name (3-255 letters, digits, ".", "_", "-")'));
  const environments = read<EnvironmentConfig[]>('SPA_CD_ENVIRONMENTS', (value) => {
    let json: unknown;
    try {
      json = JSON.parse(value);
    } catch {
      return reject('not valid JSON; expected [{"name": "prod", "path": "environments/prod", "project": "spa-cd-prod"}]');
    }
    const result = environmentsSchema.safeParse(json);
    if (result.success) return accept(result.data);
    const first = result.error.issues[0];
    const where = first && first.path.length > 0 ? `${first.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('')}: ` : '';
    return reject(`${where}${first?.message ?? 'invalid'}`);
  });
  const devopsAccount = read('SPA_CD_DEVOPS_ACCOUNT', pattern(ACCOUNT_ID, 'expected a 12-digit AWS account id'));
  const triggerRoleArn = read('SPA_CD_TRIGGER_ROLE_ARN', (value) => {
    const match = IAM_ROLE_ARN.exec(value);
    if (!match) return reject('expected an IAM role ARN such as arn:aws:iam::210987654321:role/spa-cd-trigger');
    if (devopsAccount !== undefined && match[1] !== devopsAccount) {
      return reject(`the role is in account ${match[1]}, not in SPA_CD_DEVOPS_ACCOUNT ${devopsAccount}`);
    }
    return accept(value);
  });
  const externalId = read('SPA_CD_EXTERNAL_ID', pattern(EXTERNAL_ID, 'expected 2-1224 characters among letters, digits and + = , . @ : / - _'));
  const buildRegion = read('SPA_CD_BUILD_REGION', pattern(REGION, 'expected an AWS region name such as eu-west-1'), region ?? '');
  const defaultCodeGitUrl = read(
    'SPA_CD_DEFAULT_CODE_GIT_URL',
    (value) => (httpsUrlWithoutCredentials(value) ? accept(value) : reject('expected an https URL without credentials, query or fragment')),
    DEFAULT_CODE_GIT_URL,
  );
  const approvalGating = read<boolean>(
    'SPA_CD_APPROVAL_GATING',
    (value) => (value === 'true' ? accept(true) : value === 'false' ? accept(false) : reject('expected "true" or "false"')),
    false,
  );
  const buildTimeoutMinutes = read<number>(
    'SPA_CD_BUILD_TIMEOUT_MINUTES',
    (value) => {
      const minutes = /^\d{1,4}$/.test(value) ? Number(value) : NaN;
      return minutes >= 5 && minutes <= 2160 ? accept(minutes) : reject('expected a whole number of minutes from 5 to 2160');
    },
    DEFAULT_BUILD_TIMEOUT_MINUTES,
  );

  if (
    issues.length > 0 ||
    account === undefined ||
    region === undefined ||
    repository === undefined ||
    trunk === undefined ||
    table === undefined ||
    environments === undefined ||
    devopsAccount === undefined ||
    triggerRoleArn === undefined ||
    externalId === undefined ||
    buildRegion === undefined ||
    defaultCodeGitUrl === undefined ||
    approvalGating === undefined ||
    buildTimeoutMinutes === undefined
  ) {
    throw new ConfigError(issues);
  }
  return {
    account,
    region,
    repository,
    trunk,
    table,
    environments,
    devopsAccount,
    triggerRoleArn,
    externalId,
    buildRegion,
    defaultCodeGitUrl,
    approvalGating,
    buildTimeoutMinutes,
  };
}
