import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadBuildspec } from '../../infra/buildspec';
import { loadInstallationConfig } from '../../infra/config/installation-config';
import { installationNames } from '../../infra/names';
import {
  DEPLOY_KEY,
  DEPLOY_ROLE,
  READ_KEY,
  READ_ROLE,
  SETTINGS_COMMIT,
  SPA_COMMIT,
  buildspecCommands,
  removeRun,
  runBuildspec,
  validInputs,
  type BuildRun,
  type LogLine,
} from './support/buildspec-runner';
import { REPO_ROOT } from './support/paths';

const runs: BuildRun[] = [];
function run(...args: Parameters<typeof runBuildspec>): BuildRun {
  const result = runBuildspec(...args);
  runs.push(result);
  return result;
}
afterAll(() => runs.forEach(removeRun));

const calls = (r: BuildRun, tool: string): LogLine[] => r.log.filter((line) => line.tool === tool);
const indexOf = (r: BuildRun, predicate: (line: LogLine) => boolean): number => r.log.findIndex(predicate);

describe('File: infra/buildspec.yml', () => {
  it('is a version 0.2 buildspec whose whole logic is one strict bash command', () => {
    // prepare
    const spec = loadBuildspec() as { version: unknown; env?: { shell?: unknown } };

    // act
    const commands = buildspecCommands();

    // assess
    expect(spec.version).toBe(0.2);
    expect(spec.env?.shell).toBe('bash');
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatch(/^bash -euo pipefail -c "\$\(cat <<'SPA_CD_SCRIPT'\n/);
  });

  describe('a valid deployment', () => {
    let result: BuildRun;
    beforeAll(() => {
      result = run({ settingsFiles: {
        'environments/prod/settings.yaml': 'environment_identifier: prod\n',
        'environments/prod/variables.sh': 'export SPA_FROM_VARIABLES=yes\nCODE_GIT_BRANCH=v24.1.2\n',
        'environments/staging/settings.yaml': 'environment_identifier: staging\n',
      } });
    });

    it('succeeds and prints the exact commits it deployed', () => {
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(`spa-cd: settings commit ${SETTINGS_COMMIT}`);
      expect(result.stdout).toContain(`spa-cd: SPA v24.1.2 commit ${SPA_COMMIT}`);
    });

    it('clones the settings with git-remote-codecommit and checks out exactly the settings commit', () => {
      const git = calls(result, 'git').map((line) => line.args);
      expect(git).toContain('clone --quiet --no-checkout -- codecommit::eu-west-1://spa-settings ' + join(result.workDir, 'settings'));
      expect(git).toContain(`-C ${join(result.workDir, 'settings')} -c advice.detachedHead=false checkout --quiet --detach ${SETTINGS_COMMIT} --`);
      expect(git).toContain(`-C ${join(result.workDir, 'settings')} rev-parse --verify HEAD`);
    });

    it('fetches SPA at exactly the resolved commit over https only and checks it out', () => {
      const spa = calls(result, 'git').filter((line) => line.extra === 'dir=spa').map((line) => line.args);
      const options = `-C ${join(result.workDir, 'spa')} -c protocol.allow=never -c protocol.https.allow=always`;
      expect(spa).toEqual([
        `${options} fetch --quiet --depth 1 --no-tags -- https://github.com/reply-fr/sustainable-personal-accounts.git ${SPA_COMMIT}`,
        `${options} -c advice.detachedHead=false checkout --quiet --detach ${SPA_COMMIT} --`,
        `${options} rev-parse --verify HEAD`,
      ]);
    });

    it('assumes the read-settings role, then the deploy role, with the external id and a session named after the deployment', () => {
      const aws = calls(result, 'aws').map((line) => line.args);
      expect(aws).toEqual([
        `sts assume-role --role-arn=${READ_ROLE} --role-session-name=spa-cd-read-prod-aaaaaaaaaaaa-1a2b3c4d5e --external-id=spa-cd-example-external-id --duration-seconds=3600 --query Credentials.[AccessKeyId,SecretAccessKey,SessionToken] --output text`,
        `sts assume-role --role-arn=${DEPLOY_ROLE} --role-session-name=spa-cd-deploy-prod-aaaaaaaaaaaa-1a2b3c4d5e --external-id=spa-cd-example-external-id --duration-seconds=3600 --query Credentials.[AccessKeyId,SecretAccessKey,SessionToken] --output text`,
      ]);
      expect(calls(result, 'aws').every((line) => line.accessKey === '-')).toBe(true);
    });

    it('gives the read-settings credentials to the clone only', () => {
      const withReadKey = result.log.filter((line) => line.accessKey === READ_KEY);
      expect(withReadKey).toHaveLength(1);
      expect(withReadKey[0]?.args).toMatch(/^clone /);
    });

    it('runs the SPA fetch, setup and tests with the service role, and make deploy with the deploy credentials', () => {
      const make = calls(result, 'make');
      expect(make.map((line) => [line.args, line.accessKey])).toEqual([
        ['setup', '-'],
        ['lint', '-'],
        ['all-tests', '-'],
        ['deploy', DEPLOY_KEY],
      ]);
      expect(make[3]?.extra).toContain('secret=secret-spa-cd-deploy-prod');
      expect(calls(result, 'git').filter((line) => line.extra === 'dir=spa').every((line) => line.accessKey === '-')).toBe(true);
    });

    it('runs the steps in order: settings, SPA, setup, tests, deploy', () => {
      const clone = indexOf(result, (l) => l.args.startsWith('clone '));
      const fetch = indexOf(result, (l) => l.args.includes(' fetch '));
      const setup = indexOf(result, (l) => l.tool === 'make' && l.args === 'setup');
      const tests = indexOf(result, (l) => l.tool === 'make' && l.args === 'all-tests');
      const deployRole = indexOf(result, (l) => l.tool === 'aws' && l.args.includes(DEPLOY_ROLE));
      const deploy = indexOf(result, (l) => l.tool === 'make' && l.args === 'deploy');
      expect([clone, fetch, setup, tests, deployRole, deploy]).toEqual([...[clone, fetch, setup, tests, deployRole, deploy]].sort((a, b) => a - b));
      expect(clone).toBeGreaterThan(0);
    });

    it('copies the environment folder over the SPA code and sources variables.sh before make', () => {
      const make = calls(result, 'make');
      expect(make.every((line) => line.folder === 'spa')).toBe(true);
      expect(make.every((line) => line.extra.includes('settings=yes') && line.extra.includes('from-variables=yes'))).toBe(true);
      expect(make.slice(1).every((line) => line.extra.includes('venv=yes'))).toBe(true);
      expect(existsSync(join(result.workDir, 'spa', 'variables.sh'))).toBe(true);
      expect(existsSync(join(result.workDir, 'spa', 'environment_identifier'))).toBe(false);
    });
  });

  it('fetches the version when the controller could not resolve it, and logs the commit it resolved to', () => {
    // prepare
    const resolved = 'c'.repeat(40);

    // act
    const result = run({ env: { SPA_CD_SPA_COMMIT: '', FAKE_FETCH_HEAD: resolved } });

    // assess
    expect(result.status).toBe(0);
    const spa = calls(result, 'git').filter((line) => line.extra === 'dir=spa').map((line) => line.args);
    expect(spa[0]).toMatch(/ fetch --quiet --depth 1 --no-tags -- https:\/\/github\.com\/reply-fr\/sustainable-personal-accounts\.git v24\.1\.2$/);
    expect(spa[1]).toMatch(/ rev-parse --verify FETCH_HEAD\^\{commit\}$/);
    expect(spa[2]).toMatch(new RegExp(` checkout --quiet --detach ${resolved} --$`));
    expect(result.stdout).toContain(`it resolved to commit ${resolved}`);
    expect(result.stdout).toContain(`spa-cd: SPA v24.1.2 commit ${resolved}`);
  });

  it('falls back to fetching the version when the server refuses a commit by id, and accepts it when it is the same commit', () => {
    const result = run({ env: { FAKE_FETCH_REFUSES_SHA: '1' } });

    expect(result.status).toBe(0);
    expect(result.stdout).toContain('refused commit');
    expect(calls(result, 'make').map((line) => line.args)).toEqual(['setup', 'lint', 'all-tests', 'deploy']);
  });

  it('refuses to deploy when the version now points at another commit than the reviewed one', () => {
    const result = run({ env: { FAKE_FETCH_REFUSES_SHA: '1', FAKE_FETCH_HEAD: 'd'.repeat(40) } });

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`is now commit ${'d'.repeat(40)}, not the reviewed ${SPA_COMMIT}`);
    expect(calls(result, 'make')).toEqual([]);
  });

  it('keeps session names within 64 characters, keeping the tail of a long deployment id', () => {
    // prepare: the longest id shape of shared/domain/deployment/deployment-id.ts (60 characters)
    const id = `${'e'.repeat(24)}-aaaaaaaaaaaa-redeploy-0123456789`;

    // act
    const result = run({ env: { SPA_CD_DEPLOYMENT_ID: id } });

    // assess
    expect(result.status).toBe(0);
    const sessions = calls(result, 'aws').map((line) => /--role-session-name=(\S+)/.exec(line.args)?.[1] ?? '');
    expect(sessions.map((name) => name.length)).toEqual([64, 64]);
    expect(sessions.every((name) => name.endsWith('-redeploy-0123456789'))).toBe(true);
    expect(sessions[0]).toMatch(/^spa-cd-read-/);
    expect(sessions[1]).toMatch(/^spa-cd-deploy-/);
  });

  it('stops when the settings checkout is not at the expected commit', () => {
    const result = run({ env: { FAKE_SETTINGS_HEAD: 'e'.repeat(40) } });

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`settings HEAD is ${'e'.repeat(40)}, expected ${SETTINGS_COMMIT}`);
    expect(calls(result, 'git').some((line) => line.extra === 'dir=spa')).toBe(false);
    expect(calls(result, 'make')).toEqual([]);
  });

  it('stops when the environment folder does not exist at the settings commit', () => {
    const result = run({ env: { SPA_CD_ENVIRONMENT_PATH: 'environments/missing' } });

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('environments/missing is not a folder');
    expect(calls(result, 'make')).toEqual([]);
  });

  it('stops when the read-settings role cannot be assumed, before any git call', () => {
    const result = run({ env: { FAKE_AWS_FAILS: '1' } });

    expect(result.status).not.toBe(0);
    expect(calls(result, 'git')).toEqual([]);
  });

  it('does not deploy when the tests fail', () => {
    const result = run({ env: { FAKE_MAKE_FAILS: 'all-tests' } });

    expect(result.status).not.toBe(0);
    expect(calls(result, 'make').map((line) => line.args)).toEqual(['setup', 'lint', 'all-tests']);
    expect(calls(result, 'aws')).toHaveLength(1);
  });

  it('fails the build when variables.sh exits early with status 0', () => {
    const result = run({ settingsFiles: { 'environments/prod/settings.yaml': 'x: 1\n', 'environments/prod/variables.sh': 'exit 0\n' } });

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('the build ended before "make deploy" completed');
    expect(calls(result, 'make')).toEqual([]);
  });

  it('fails the build when variables.sh tries to change a validated input', () => {
    const result = run({ settingsFiles: { 'environments/prod/settings.yaml': 'x: 1\n', 'environments/prod/variables.sh': 'SPA_CD_DEPLOY_ROLE_ARN=arn:aws:iam::999999999999:role/x\n' } });

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('readonly variable');
    expect(calls(result, 'make')).toEqual([]);
  });

  it('stops on a failing command even when variables.sh turned errexit off', () => {
    const result = run({
      settingsFiles: { 'environments/prod/settings.yaml': 'x: 1\n', 'environments/prod/variables.sh': 'set +e +o pipefail\n' },
      env: { FAKE_MAKE_FAILS: 'lint' },
    });

    expect(result.status).not.toBe(0);
    expect(calls(result, 'make').map((line) => line.args)).toEqual(['setup', 'lint']);
  });

  it('refuses an environment folder that holds a symbolic link, before fetching SPA', () => {
    const result = run({ settingsLinks: { 'environments/prod/passwd': '/etc/passwd' } });

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('environments/prod holds a symbolic link, refused: environments/prod/passwd');
    expect(calls(result, 'git').some((line) => line.extra === 'dir=spa')).toBe(false);
  });

  it('stops when an input is missing, naming it', () => {
    const result = run({ env: { SPA_CD_DEPLOY_ROLE_ARN: undefined } });

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('SPA_CD_DEPLOY_ROLE_ARN is not set');
    expect(result.log).toEqual([]);
  });

  it.each(['example.json', 'single-account.json'])('accepts what an installation from infra/config/%s gives it', (file) => {
    // prepare: the project variables the DevOps stack sets, for each environment
    const config = loadInstallationConfig(join(REPO_ROOT, 'infra', 'config', file));
    const names = installationNames(config);

    for (const environment of config.environments) {
      // act
      const result = run({
        env: {
          SPA_CD_ENVIRONMENT: environment.name,
          SPA_CD_ENVIRONMENT_PATH: environment.folder,
          SPA_CD_CODE_GIT_URL: config.spaCodeUrl,
          SPA_CD_SETTINGS_REPOSITORY: names.repositoryName,
          SPA_CD_SETTINGS_REGION: config.region,
          SPA_CD_READ_SETTINGS_ROLE_ARN: names.readSettingsRoleArn,
          SPA_CD_DEPLOY_ROLE_ARN: names.deployRoleArn(environment),
          SPA_CD_EXTERNAL_ID: config.externalId,
        },
        settingsFiles: { [`${environment.folder}/settings.yaml`]: 'x: 1\n' },
      });

      // assess
      expect({ environment: environment.name, status: result.status, stderr: result.stderr }).toEqual({ environment: environment.name, status: 0, stderr: '' });
    }
  });

  describe('hostile inputs', () => {
    const inputs = Object.keys(validInputs());
    const hostile = (marker: string): string[] => [
      `--upload-pack=touch ${marker}`,
      `$(touch ${marker})`,
      `\`touch ${marker}\``,
      `x;touch ${marker}`,
      'two words',
      '../../etc',
      'environments/../../etc',
      `ok\ntouch ${marker}`,
      '-h',
    ];

    /** Values that are legitimate for one input (an STS external id may hold '/' and '..'). */
    const legitimate: Record<string, string[]> = { SPA_CD_EXTERNAL_ID: ['environments/../../etc'] };

    it.each(inputs)('stop the build before any command when %s is hostile', (name) => {
      for (const value of hostile('PWNED').filter((v) => !legitimate[name]?.includes(v))) {
        // act
        const result = run({ env: { [name]: value.replaceAll('PWNED', 'pwned-marker') } });

        // assess
        const marker = join(result.workDir, 'pwned-marker');
        expect({ value, status: result.status }).toEqual({ value, status: 1 });
        expect({ value, log: result.log }).toEqual({ value, log: [] });
        expect(result.stderr).toContain(name);
        expect(existsSync(marker)).toBe(false);
        removeRun(result);
      }
    });

    it('accepts an empty SPA_CD_SPA_COMMIT but no other empty input', () => {
      for (const name of inputs.filter((input) => input !== 'SPA_CD_SPA_COMMIT')) {
        const result = run({ env: { [name]: '' } });
        expect({ name, status: result.status, log: result.log }).toEqual({ name, status: 1, log: [] });
        removeRun(result);
      }
    });
  });
});
