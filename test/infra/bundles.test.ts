import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleCli, bundleFunctions, findFunctions, sizeTable, type BundleRow } from '../../esbuild.config.mjs';
import { loadInstallationConfig } from '../../infra/config/installation-config';
import { controllerEnvironment } from '../../infra/controller-environment';
import { CONTROLLER_FUNCTIONS } from '../../infra/names';
import { REPO_ROOT, configFile } from './support/paths';

const FIXTURE_ROOT = join(REPO_ROOT, 'test', 'infra', 'fixtures');

/**
 * Imports a bundle in a fresh Node process, as Lambda would, with the given environment; prints typeof handler.
 * Standard error is returned for diagnosis only: the AWS SDK warns there about Node 20 on this machine.
 */
function importedHandlerType(file: string, env: Record<string, string>, then = 'typeof m.handler'): { status: number | null; out: string; err: string } {
  const script = `import(${JSON.stringify(pathToFileURL(file).href)}).then(async (m) => console.log(${then}), (e) => { console.error(e); process.exit(2); })`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-1', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, out: result.stdout.trim(), err: result.stderr };
}

describe('File: esbuild.config.mjs', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'spa-cd-bundles-'));
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  describe('a function importing the AWS SDK, middy, Powertools, zod and yaml', () => {
    let rows: BundleRow[];
    beforeAll(async () => {
      rows = await bundleFunctions({ root: FIXTURE_ROOT, outdir });
    }, 120_000);

    it('is bundled into <outdir>/<name>/index.mjs with a linked source map and a metafile beside the folder', () => {
      expect(rows.map((row) => row.name)).toEqual(['fixture-handler']);
      expect(existsSync(join(outdir, 'fixture-handler', 'index.mjs'))).toBe(true);
      expect(existsSync(join(outdir, 'fixture-handler', 'index.mjs.map'))).toBe(true);
      expect(existsSync(join(outdir, 'meta', 'fixture-handler.json'))).toBe(true);
    });

    it('bundles the AWS SDK instead of leaving it to the runtime', () => {
      const meta = JSON.parse(readFileSync(join(outdir, 'meta', 'fixture-handler.json'), 'utf8')) as { inputs: Record<string, unknown> };
      const packages = new Set(Object.keys(meta.inputs).map((path) => /node_modules\/(@aws-sdk\/[^/]+)/.exec(path)?.[1]).filter((name) => name !== undefined));
      expect([...packages]).toEqual(expect.arrayContaining(['@aws-sdk/client-codecommit', '@aws-sdk/client-codebuild', '@aws-sdk/client-sts', '@aws-sdk/lib-dynamodb']));
      const bundle = readFileSync(join(outdir, 'fixture-handler', 'index.mjs'), 'utf8');
      expect(bundle).not.toMatch(/from\s*["']@aws-sdk\//);
    });

    it('imports under Node as an ES module that exports handler', () => {
      const result = importedHandlerType(join(outdir, 'fixture-handler', 'index.mjs'), {});
      expect({ status: result.status, out: result.out }).toEqual({ status: 0, out: 'function' });
      expect(result.err).not.toMatch(/Error:/);
    });

    it('carries the sh-syntax WASM file beside the bundle, where the bundled parser finds it', () => {
      expect(existsSync(join(outdir, 'fixture-handler', 'main.wasm'))).toBe(true);
      expect(existsSync(join(outdir, 'fixture-handler', 'wasm_exec.cjs'))).toBe(true);
      const result = importedHandlerType(join(outdir, 'fixture-handler', 'index.mjs'), {}, "await m.shellWords('A=1; export B=2')");
      expect({ status: result.status, out: result.out, err: result.status === 0 ? '' : result.err.slice(0, 2000) }).toEqual({ status: 0, out: '2', err: '' });
    });

    it('prints a size table', () => {
      const table = sizeTable(rows);
      expect(table.split('\n')[0]).toMatch(/^function\s+index\.mjs\s+gzip\s+map\s+largest package$/);
      expect(table).toContain('fixture-handler');
    });
  });

  describe('the controller functions', () => {
    let rows: BundleRow[];
    beforeAll(async () => {
      rows = await bundleFunctions({ outdir });
    }, 180_000);

    it('bundles each of them', () => {
      expect(findFunctions().sort()).toEqual([...CONTROLLER_FUNCTIONS].sort());
      expect(rows.map((row) => row.name).sort()).toEqual([...CONTROLLER_FUNCTIONS].sort());
    });

    it.each([
      ['on-pull-request', ['client-codecommit', 'client-dynamodb', 'lib-dynamodb']],
      ['on-trunk-push', ['client-codebuild', 'client-codecommit', 'client-dynamodb', 'client-sts', 'lib-dynamodb']],
      ['on-build-state-change', ['client-codebuild', 'client-codecommit', 'client-dynamodb', 'client-sts', 'lib-dynamodb']],
      ['reconcile', ['client-codebuild', 'client-codecommit', 'client-dynamodb', 'client-sts', 'lib-dynamodb']],
    ])('gives %s only the AWS clients it calls', (name, clients) => {
      // The review never starts builds nor assumes the trigger role: no CodeBuild or STS client in its bundle.
      // The metafile of one esbuild run covers every function: read the inputs of this function's output only.
      const meta = JSON.parse(readFileSync(join(outdir, 'meta', `${name}.json`), 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
      const output = Object.entries(meta.outputs).find(([file]) => file.endsWith(`${name}/index.mjs`))?.[1];
      expect(output).toBeDefined();
      const packages = new Set(Object.keys(output?.inputs ?? {}).map((path) => /node_modules\/@aws-sdk\/((?:client-[a-z-]+)|lib-dynamodb)\//.exec(path)?.[1]).filter((p) => p !== undefined));
      expect([...packages].sort()).toEqual(clients);
    });

    it.each([...CONTROLLER_FUNCTIONS])('imports %s under Node with the deployed environment, exporting handler', (name) => {
      const env = controllerEnvironment(loadInstallationConfig(configFile('example.json')));
      const result = importedHandlerType(join(outdir, name, 'index.mjs'), { ...env, POWERTOOLS_SERVICE_NAME: name, POWERTOOLS_METRICS_NAMESPACE: 'spa-cd' });
      expect({ status: result.status, out: result.out, err: result.status === 0 ? '' : result.err.slice(0, 2000) }).toEqual({ status: 0, out: 'function', err: '' });
    });
  });
});

describe('Function: bundleCli', () => {
  let outdir: string;
  let main: string;
  beforeAll(async () => {
    outdir = mkdtempSync(join(tmpdir(), 'spa-cd-cli-bundle-'));
    main = await bundleCli({ outdir: join(outdir, 'cli'), target: 'node20' });
  }, 120_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  /** The files Node loads for main.mjs and one command's chunk: static imports, followed transitively. */
  function loadedFor(command: string): string[] {
    const chunks = join(outdir, 'cli', 'chunks');
    const entry = readdirSync(chunks).find((name) => name.startsWith(`${command}-`) && name.endsWith('.mjs'));
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const match of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*"(\.{1,2}\/[^"]+)"/g)) visit(resolve(dirname(file), match[1] ?? ''));
    };
    visit(main);
    if (entry !== undefined) visit(join(chunks, entry));
    return [...seen];
  }

  it('loads no AWS client and under a third of the code for validate', () => {
    const files = loadedFor('validate');
    const text = files.map((file) => readFileSync(file, 'utf8')).join('');
    for (const service of ['CodeCommit_20150413', 'CodeBuild_20161006', 'DynamoDB_20120810']) expect(text.includes(service)).toBe(false);
    const all = readdirSync(join(outdir, 'cli', 'chunks')).filter((name) => name.endsWith('.mjs')).map((name) => statSync(join(outdir, 'cli', 'chunks', name)).size);
    const total = all.reduce((sum, size) => sum + size, statSync(main).size);
    const loaded = files.reduce((sum, file) => sum + statSync(file).size, 0);
    expect(loaded / total).toBeLessThan(1 / 3);
    // the deploy command's chunks do carry the clients it calls (the check above can see them)
    expect(loadedFor('deploy').some((file) => readFileSync(file, 'utf8').includes('CodeBuild_20161006'))).toBe(true);
  });

  it('validates a repository, the shell syntax checker running from its chunk', () => {
    const repo = join(outdir, 'repo');
    cpSync(join(REPO_ROOT, 'examples', 'settings-repo', 'environments'), join(repo, 'environments'), { recursive: true });
    writeFileSync(join(repo, 'environments', 'sandbox', 'broken.sh'), '#!/bin/bash\nif then fi\n');
    chmodSync(join(repo, 'environments', 'sandbox', 'broken.sh'), 0o755);
    const run = spawnSync(process.execPath, [main, 'validate', repo, '--offline'], { encoding: 'utf8', timeout: 60_000, cwd: repo });
    expect({ status: run.status, out: run.stdout }).toEqual({
      status: 1,
      out: expect.stringContaining('environments/sandbox/broken.sh:2:1: error shell-syntax-error') as string,
    });
    expect(run.stdout).toContain('invalid: 1 error, 0 warnings in 2 environments');
  });
});
