/**
 * `npm run bench:validate` — `spa-cd validate --json` on a generated environment with 10,000 accounts and
 * 200 organizational units in YAML plus a 10,000-row CSV list, next to what SPA spends loading the same YAML
 * (`python3 -c "import yaml; yaml.safe_load(open(F))"`, pure-Python PyYAML as SPA runs it), in the same run.
 * Both are whole processes measured by /usr/bin/time (wall time, peak resident memory); the CLI is bundled with
 * esbuild first (`npm run build` makes the same bundle in dist/cli), and run with the V8 flags of `npm run spa-cd` (CLI_NODE_FLAGS). The two commands take
 * turns, run after run, so that both see the same load on a shared machine. Target: at least 10 times faster than
 * PyYAML, with less peak memory. The text output (`spa-cd validate`, no --json) is measured too, for information.
 *
 *   npm run bench:validate [-- runs=5]
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli } from '../esbuild.config.mjs';
import { writeBuildFiles } from './build-files.bench';
import { generateSettings } from './settings-generator';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.argv[2] ?? 5);
/**
 * The V8 flags the CLI runs with (package.json `spa-cd` and `start` scripts): a 2 MB young generation. Validation keeps
 * nearly everything it allocates until the end, so a large young generation only copies the same objects later and
 * holds more memory: on 10,000 accounts this flag saves about 30 MB of peak memory and some time.
 */
const CLI_NODE_FLAGS = ['--max-semi-space-size=2'];

interface Measure {
  seconds: number;
  peakMb: number;
}

function measure(command: string, args: readonly string[]): Measure & { status: number | null; stdout: string } {
  const run = spawnSync('/usr/bin/time', ['-f', '%e %M', command, ...args], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const last = run.stderr.trim().split('\n').pop() ?? '';
  const [seconds, kb] = last.split(' ').map(Number);
  if (seconds === undefined || kb === undefined || Number.isNaN(seconds)) throw new Error(`could not measure ${command}: ${run.stderr.slice(-500)}`);
  return { seconds, peakMb: kb / 1024, status: run.status, stdout: run.stdout };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function csvList(rows: number): string {
  const lines = ['Account,Note,Tag: cost-center,Tag: account-holder,Preparation: BUDGET_AMOUNT,Purge: MAXIMUM_AGE'];
  for (let i = 0; i < rows; i += 1) lines.push(`${200000000000 + i},"imported, batch ${i % 10}",CC-${i % 50},holder${i}@example.com,${100 + (i % 400)},9M`);
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'spa-cd-bench-validate-'));
  try {
    const env = join(work, 'environments', 'bench');
    mkdirSync(env, { recursive: true });
    const settings = generateSettings(10_000, 200).replace('defaults:\n', "features:\n  with_csv_files:\n    - accounts.csv\ndefaults:\n");
    writeFileSync(join(env, 'settings.yaml'), settings);
    writeFileSync(join(env, 'accounts.csv'), csvList(10_000));
    writeFileSync(join(env, 'deployment.yaml'), `spa_version: '${'0'.repeat(40)}'\n`);
    const yamlOnly = join(work, 'settings-only.yaml');
    writeFileSync(yamlOnly, settings);

    // Bundled as `npm run build` bundles it (esbuild.config.mjs bundleCli: one chunk per command, the shell parser's
    // runtime beside its chunk), for the Node.js of this machine.
    const cli = await bundleCli({ root: ROOT, outdir: join(work, 'cli'), target: 'node20' });

    // The same repository with 50 buildspec templates and 200 scripts, to measure what checking them adds.
    const withFiles = join(work, 'with-build-files');
    cpSync(join(work, 'environments'), join(withFiles, 'environments'), { recursive: true });
    writeBuildFiles(join(withFiles, 'environments', 'bench'));

    const ours: Measure[] = [];
    const text: Measure[] = [];
    const theirs: Measure[] = [];
    const withBuildFiles: Measure[] = [];
    let diagnostics = 0;
    let accounts = 0;
    const python = spawnSync('python3', ['-c', 'import yaml'], { encoding: 'utf8' });
    for (let i = 0; i < RUNS; i += 1) {
      const run = measure(process.execPath, [...CLI_NODE_FLAGS, cli, 'validate', work, '--json', '--offline']);
      if (run.status !== 0) throw new Error(`spa-cd validate exited ${run.status}: ${run.stdout.slice(0, 2000)}`);
      const result = JSON.parse(run.stdout) as { diagnostics: unknown[]; environments: Array<{ effective: { accounts: Record<string, unknown> } }> };
      diagnostics = result.diagnostics.length;
      accounts = Object.keys(result.environments[0]?.effective.accounts ?? {}).length;
      ours.push(run);
      if (python.status === 0) theirs.push(measure('python3', ['-c', 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))', yamlOnly]));
      const files = measure(process.execPath, [...CLI_NODE_FLAGS, cli, 'validate', withFiles, '--json', '--offline']);
      if (files.status === 2) throw new Error(`spa-cd validate (build files) exited 2: ${files.stdout.slice(0, 2000)}`);
      withBuildFiles.push(files);
      const lines = measure(process.execPath, [...CLI_NODE_FLAGS, cli, 'validate', work, '--offline']);
      if (lines.status !== 0) throw new Error(`spa-cd validate (text) exited ${lines.status}: ${lines.stdout.slice(0, 2000)}`);
      text.push(lines);
    }

    const mb = (n: number): string => `${n.toFixed(0)} MB`;
    const s = (n: number): string => `${(n * 1000).toFixed(0)} ms`;
    const oursTime = median(ours.map((m) => m.seconds));
    const oursMem = median(ours.map((m) => m.peakMb));
    console.log(`bench:validate — environment: 10,000 YAML accounts + 200 OUs (${(settings.length / 1e6).toFixed(1)} MB) + 10,000-row CSV; median of ${RUNS} cold runs`);
    console.log(`spa-cd validate --json (bundled CLI, node ${CLI_NODE_FLAGS.join(' ')}, whole process): ${s(oursTime)}, peak ${mb(oursMem)} — ${accounts} effective accounts, ${diagnostics} diagnostics`);
    console.log(`spa-cd validate, text output (for information): ${s(median(text.map((m) => m.seconds)))}, peak ${mb(median(text.map((m) => m.peakMb)))}`);
    const filesTime = median(withBuildFiles.map((m) => m.seconds));
    const added = filesTime - oursTime;
    console.log(`with 50 buildspec templates and 200 scripts added: ${s(filesTime)}, +${s(added)} (target: added time < 500 ms: ${added < 0.5 ? 'met' : 'NOT met'})`);
    if (theirs.length === 0) {
      console.log('PyYAML reference: python3 with PyYAML not found on this machine, ratio not measured');
      return;
    }
    const pyTime = median(theirs.map((m) => m.seconds));
    const pyMem = median(theirs.map((m) => m.peakMb));
    console.log(`PyYAML safe_load of the YAML alone (whole process): ${s(pyTime)}, peak ${mb(pyMem)}`);
    const ratio = pyTime / oursTime;
    const memory = oursMem < pyMem ? `${(pyMem - oursMem).toFixed(0)} MB less peak memory` : `${(oursMem - pyMem).toFixed(0)} MB MORE peak memory`;
    console.log(`ratio: spa-cd is ${ratio.toFixed(1)}x faster, ${memory} (target: ≥ 10x faster and less memory: ${ratio >= 10 && oursMem < pyMem ? 'met' : 'NOT met'})`);
  } finally {
    if (existsSync(work)) rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
