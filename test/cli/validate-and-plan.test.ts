import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { memoryIo } from '../../cli/cli-io';
import { GitWorkTree } from '../support/git-work-tree';
import { INVALID_SETTINGS, MANIFEST, VALID_SETTINGS } from '../support/deployment-harness';

async function run(cwd: string, ...args: string[]) {
  const io = memoryIo(cwd);
  const code = await main(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('CLI: spa-cd validate', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'spa-cd-cli-'));
    const write = (path: string, text: string): void => {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    write('repo/environments/prod/settings.yaml', VALID_SETTINGS);
    write('repo/environments/prod/deployment.yaml', MANIFEST);
    write('repo/environments/dev/settings.yaml', INVALID_SETTINGS);
    write('repo/environments/dev/deployment.yaml', MANIFEST);
    write('warn/settings.yaml', `${VALID_SETTINGS}preparation_typo: ''\n`);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('validates every environment of a repository and prints compiler-style lines, then a summary; exit 1 when invalid', async () => {
    const result = await run(root, 'validate', 'repo', '--offline');

    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^repo\/environments\/dev\/settings\.yaml:\d+:\d+: error identifier-not-a-string /);
    expect(lines[lines.length - 1]).toBe('invalid: 1 error, 0 warnings in 2 environments');
  });

  it('validates only the environments named with --env; exit 0 when valid', async () => {
    const result = await run(root, 'validate', 'repo', '--env', 'prod', '--offline');

    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('valid: 0 errors, 0 warnings in 1 environment');
  });

  it('prints one JSON object with the effective settings keyed by identifier, SPA field names and value types', async () => {
    const result = await run(root, 'validate', 'repo/environments/prod', '--json', '--offline');

    const json = JSON.parse(result.stdout) as {
      valid: boolean;
      diagnostics: unknown[];
      environments: Array<{ name: string; path: string; valid: boolean; spaVersion: string; effective: { accounts: Record<string, { account_tags: Record<string, unknown>; preparation: { feature: string; variables: Record<string, unknown> } }>; organizational_units: Record<string, unknown> } }>;
    };
    expect(result.code).toBe(0);
    expect(json.valid).toBe(true);
    expect(json.environments).toHaveLength(1);
    expect(json.environments[0]).toMatchObject({ name: 'prod', path: 'repo/environments/prod', valid: true, spaVersion: 'a'.repeat(40) });
    expect(json.environments[0]?.effective.accounts['210987654321']).toMatchObject({
      account_tags: { CostCenter: 'shared' },
      preparation: { feature: 'enabled', variables: { BUDGET_AMOUNT: 500 } },
    });
    expect(Object.keys(json.environments[0]?.effective.organizational_units ?? {})).toEqual(['ou-abcd-11111111']);
  });

  it('applies SPA rules only to a bare settings file; warnings are valid unless --strict', async () => {
    const relaxed = await run(root, 'validate', 'warn/settings.yaml');
    const strict = await run(root, 'validate', 'warn/settings.yaml', '--strict');

    expect(relaxed.code).toBe(0);
    expect(relaxed.stdout).toMatch(/warn\/settings\.yaml:\d+:1: warning /);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/--strict: warnings count as errors/);
  });

  it('answers exit 2 with a clear message for a path that does not exist or an unknown environment', async () => {
    const missing = await run(root, 'validate', 'nowhere');
    const unknown = await run(root, 'validate', 'repo', '--env', 'nope', '--offline');
    const badOption = await run(root, 'validate', '--no-such-option');

    expect(missing).toMatchObject({ code: 2 });
    expect(missing.stderr).toMatch(/nowhere: no such file or folder/);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no environment named 'nope'/);
    expect(badOption.code).toBe(2);
  });
});

describe('CLI: spa-cd plan', () => {
  let tree: GitWorkTree;

  beforeAll(() => {
    tree = new GitWorkTree();
    tree.write('environments/prod/settings.yaml', VALID_SETTINGS).write('environments/prod/deployment.yaml', MANIFEST);
    tree.write('environments/dev/settings.yaml', VALID_SETTINGS).write('environments/dev/deployment.yaml', MANIFEST);
    tree.commit('trunk');
    tree.git('checkout', '-q', '-b', 'feature');
    tree.write('environments/prod/settings.yaml', VALID_SETTINGS.replace('500', '750'));
    tree.commit('raise the prod budget');
    tree.git('checkout', '-q', '-b', 'bad-name');
    tree.write('environments/Bad Name/settings.yaml', VALID_SETTINGS).write('environments/Bad Name/deployment.yaml', MANIFEST);
    tree.commit('an environment whose name cannot be one');
    tree.git('checkout', '-q', 'feature');
    tree.git('checkout', '-q', '-b', 'broken');
    tree.write('environments/dev/settings.yaml', INVALID_SETTINGS);
    tree.commit('break dev');
  });
  afterAll(() => tree.cleanup());

  it('prints the review markdown of the affected environments only; exit 0 when valid', async () => {
    const result = await run(tree.dir, 'plan', '--base', 'main', '--head', 'feature', '--offline');

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^<!-- spa-cd:summary -->/);
    expect(result.stdout).toContain('`prod`');
    expect(result.stdout).not.toContain('`dev`');
    expect(result.stdout).toMatch(/BUDGET_AMOUNT.*500.*750/);
  });

  it('names the file and line of an error and exits 1 when an affected environment is invalid', async () => {
    const result = await run(tree.dir, 'plan', '--base', 'main', '--head', 'broken', '--offline');

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/environments\/dev\/settings\.yaml:\d+:\d+/);
    expect(result.stdout).toContain('identifier-not-a-string');
  });

  it('gives the same verdict as validate on a folder whose name cannot be an environment', async () => {
    const result = await run(tree.dir, 'plan', '--base', 'main', '--head', 'bad-name', '--offline');

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('invalid-environment-name');
  });

  it('prints JSON with --json', async () => {
    const result = await run(tree.dir, 'plan', '--base', 'main', '--head', 'feature', '--json', '--offline');

    const json = JSON.parse(result.stdout) as { valid: boolean; environments: Array<{ name: string }> };
    expect(json.valid).toBe(true);
    expect(json.environments.map((e) => e.name)).toEqual(['prod']);
  });

  it('answers exit 2 for a revision the repository does not have, and refuses option-like refs', async () => {
    const unknown = await run(tree.dir, 'plan', '--base', 'main', '--head', 'no-such-branch', '--offline');
    const hostile = await run(tree.dir, 'plan', '--base', '--output=/tmp/x', '--head', 'main', '--offline');

    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown revision 'no-such-branch'/);
    expect(hostile.code).toBe(2);
  });
});
