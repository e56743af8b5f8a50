import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InstallationConfigError, isSingleAccount, loadInstallationConfig, parseInstallationConfig } from '../../infra/config/installation-config';
import { MissingBundleError } from '../../infra/constructs/controller-function';
import { buildSpaCdApp } from '../../infra/spa-cd-app';
import { configFile } from './support/paths';

const example = (): Record<string, unknown> => JSON.parse(readFileSync(configFile('example.json'), 'utf8')) as Record<string, unknown>;

/** The message of the InstallationConfigError thrown for a configuration. */
function problemsOf(value: unknown): string {
  try {
    parseInstallationConfig(value, 'infra/config/bad.json');
  } catch (error) {
    if (error instanceof InstallationConfigError) return error.message;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('Function: parseInstallationConfig', () => {
  it('accepts the example three-account configuration', () => {
    const config = loadInstallationConfig(configFile('example.json'));

    expect(config.accounts).toEqual({ cloudOps: '111111111111', devOps: '222222222222', automation: '333333333333' });
    expect(config.environments.map((e) => [e.name, e.folder, e.buildTimeoutMinutes])).toEqual([['prod', 'environments/prod', 120], ['staging', 'environments/staging', 60]]);
    expect(isSingleAccount(config)).toBe(false);
  });

  it('accepts the single-account configuration', () => {
    const config = loadInstallationConfig(configFile('single-account.json'));

    expect(isSingleAccount(config)).toBe(true);
    expect(config.repository).toEqual({ import: 'SpaSettings' });
  });

  it('fills the defaults: name, trunk, SPA repository, timeout, AdministratorAccess, no gating', () => {
    const config = parseInstallationConfig({
      accounts: { cloudOps: '111111111111', devOps: '111111111111', automation: '111111111111' },
      region: 'eu-west-3',
      repository: { import: 'settings' },
      environments: [{ name: 'prod' }],
      externalId: 'abc-123',
    });

    expect(config).toMatchObject({
      name: 'spa-cd',
      trunk: 'main',
      spaCodeUrl: 'https://github.com/reply-fr/sustainable-personal-accounts.git',
      approvalGating: false,
      environments: [{ name: 'prod', folder: 'environments/prod', buildTimeoutMinutes: 120, deployPolicy: 'administrator' }],
    });
  });

  it.each([
    ['a short account id', { accounts: { cloudOps: '1234', devOps: '222222222222', automation: '333333333333' } }, 'accounts.cloudOps: expected a 12-digit AWS account id'],
    ['a missing account', { accounts: { cloudOps: '111111111111', automation: '333333333333' } }, 'accounts.devOps: is required'],
    ['a region that is not one', { region: 'Europe (Paris)' }, 'region: expected an AWS region name'],
    ['a repository of neither form', { repository: { create: false, name: 'x' } }, 'repository: expected {"create": true, "name": "..."} or {"import": "..."}'],
    ['a repository name with a space', { repository: { import: 'my settings' } }, 'repository.import: expected a CodeCommit repository name'],
    ['a trunk given as a full ref', { trunk: 'refs/heads/main' }, 'trunk: expected a branch name'],
    ['a trunk with ..', { trunk: 'a..b' }, 'trunk: expected a branch name'],
    ['no environment', { environments: [] }, 'environments: expected at least one environment'],
    ['an environment name with a space', { environments: [{ name: 'my prod' }] }, 'environments[0].name: expected 1-32 letters'],
    ['an environment folder elsewhere', { environments: [{ name: 'prod', folder: 'environments/../prod' }] }, 'environments[0].folder: expected "environments/prod"'],
    ['two environments of one name', { environments: [{ name: 'prod' }, { name: 'PROD' }] }, 'environments[1].name: duplicate environment "PROD"'],
    ['a build timeout over the quota', { environments: [{ name: 'prod', buildTimeoutMinutes: 1000 }] }, 'environments[0].buildTimeoutMinutes: at most 480 minutes'],
    ['a fractional build timeout', { environments: [{ name: 'prod', buildTimeoutMinutes: 7.5 }] }, 'environments[0].buildTimeoutMinutes: expected a whole number'],
    ['an unknown deploy policy', { environments: [{ name: 'prod', deployPolicy: 'root' }] }, 'environments[0].deployPolicy: expected "administrator" or {"managedPolicyArns"'],
    ['a managed policy that is not an ARN', { environments: [{ name: 'prod', deployPolicy: { managedPolicyArns: ['AdministratorAccess'] } }] }, 'environments[0].deployPolicy'],
    ['a plain-http SPA repository', { spaCodeUrl: 'http://github.com/reply-fr/sustainable-personal-accounts.git' }, 'spaCodeUrl: expected an https URL'],
    ['an SPA repository with credentials', { spaCodeUrl: 'https://user:secret@github.com/x/y.git' }, 'spaCodeUrl: expected an https URL'],
    ['an alert address that is not one', { alertEmail: 'ops at example.com' }, 'alertEmail: expected an email address'],
    ['approval gating as text', { approvalGating: 'yes' }, 'approvalGating: expected true or false'],
    ['an external id that looks like an option', { externalId: '-x' }, 'externalId: expected 2-1224 characters'],
    ['an installation name with capitals', { name: 'SpaCd' }, 'name: expected 1-20 lowercase letters'],
    ['a misspelt field', { approvalGatting: true }, 'approvalGatting: unknown field'],
    ['a misspelt nested field', { accounts: { cloudOps: '111111111111', devOps: '222222222222', automation: '333333333333', autom: '1' } }, 'accounts.autom: unknown field'],
  ])('refuses %s, naming the field', (_case, change, expected) => {
    // prepare
    const value = { ...example(), ...change };

    // act
    const message = problemsOf(value);

    // assess
    expect(message).toContain('infra/config/bad.json: invalid spa-cd configuration');
    expect(message).toContain(expected);
  });

  it('lists every problem of a file at once', () => {
    const message = problemsOf({ ...example(), region: 'x', externalId: '', trunk: '' });

    expect(message.split('\n').filter((line) => line.startsWith('  - ')).map((line) => line.split(':')[0])).toEqual(['  - region', '  - trunk', '  - externalId']);
  });
});

describe('Function: loadInstallationConfig', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'spa-cd-config-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('names the file when it is not JSON', () => {
    const path = join(folder, 'broken.json');
    writeFileSync(path, '{ "accounts": ');

    expect(() => loadInstallationConfig(path)).toThrow(new RegExp(`^${path}: invalid spa-cd configuration:\\n  - is not valid JSON`));
  });

  it('names the file when it cannot be read', () => {
    const path = join(folder, 'missing.json');

    expect(() => loadInstallationConfig(path)).toThrow(`${path}: invalid spa-cd configuration:\n  - cannot be read`);
  });
});

describe('Function: buildSpaCdApp', () => {
  it('refuses to synthesize without the esbuild bundles, saying how to build them', () => {
    const config = loadInstallationConfig(configFile('example.json'));

    const build = (): unknown => buildSpaCdApp({ config, functionsCodeDirectory: join(tmpdir(), 'spa-cd-no-such-dist') });

    expect(build).toThrow(MissingBundleError);
    expect(build).toThrow(/on-trunk-push\/index\.mjs does not exist: run "npm run build" before synthesizing/);
  });
});
