/**
 * Benchmark: loading a large SPA settings file (10,000 accounts, 200 organizational units, ~2 MB) with spa-cd's
 * loadYaml versus PyYAML's pure-Python `yaml.safe_load` (what SPA runs). Each measurement runs in a fresh process
 * (cold, as in a Lambda invocation or a CLI run) that reports its own time and peak resident memory; the loader is
 * bundled with esbuild first, as it is deployed. Prints both and the ratios; exits 1 when spa-cd is not at least
 * 10 times faster with a lower peak memory.
 *
 *   npx tsx bench/yaml-load.bench.ts [accounts=10000] [runs=3]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { generateSettings } from './settings-generator';

interface Measure {
  ms: number;
  peakMb: number;
}

const CHILD = `
import { readFileSync } from 'node:fs';
const { loadYaml } = await import(process.argv[2]);
const text = readFileSync(process.argv[3], 'utf8');
const t0 = performance.now();
const result = loadYaml('settings.yaml', text);
const ms = performance.now() - t0;
if (!result.root || result.diagnostics.length) throw new Error('unexpected diagnostics');
console.log(JSON.stringify({ ms, peakMb: process.resourceUsage().maxRSS / 1024 }));
`;

const PYTHON = `
import json, resource, sys, time, yaml
text = open(sys.argv[1]).read()
t0 = time.perf_counter()
yaml.safe_load(text)
ms = (time.perf_counter() - t0) * 1000
print(json.dumps({"ms": ms, "peakMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`;

function run(command: string, args: string[]): Measure {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as Measure;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function main(): void {
  const accounts = Number(process.argv[2] ?? 10000);
  const runs = Number(process.argv[3] ?? 3);
  const here = dirname(fileURLToPath(import.meta.url));
  const work = mkdtempSync(join(tmpdir(), 'spa-cd-bench-'));
  try {
    const settings = join(work, 'settings.yaml');
    const text = generateSettings(accounts, 200);
    writeFileSync(settings, text);
    const bundle = join(work, 'yaml-loader.mjs');
    buildSync({ entryPoints: [resolve(here, '../shared/domain/settings/yaml-loader.ts')], bundle: true, format: 'esm', platform: 'node', target: 'node20', outfile: bundle, logLevel: 'silent' });
    const child = join(work, 'child.mjs');
    writeFileSync(child, CHILD);
    const python = spawnSync('python3', ['-c', 'import yaml'], { encoding: 'utf8' });
    console.log(`settings: ${accounts} accounts, 200 organizational units, ${(text.length / 1024 / 1024).toFixed(2)} MB; ${runs} cold runs each`);
    const ours: Measure[] = [];
    for (let i = 0; i < runs; i += 1) ours.push(run(process.execPath, [child, bundle, settings]));
    const oursMs = median(ours.map((m) => m.ms));
    const oursPeak = Math.max(...ours.map((m) => m.peakMb));
    console.log(`spa-cd loadYaml:        ${oursMs.toFixed(0).padStart(6)} ms (runs: ${ours.map((m) => m.ms.toFixed(0)).join(', ')}), peak RSS ${oursPeak.toFixed(0)} MB (node process)`);
    if (python.status !== 0) {
      console.log('PyYAML:                 skipped (python3 with PyYAML is not installed)');
      return;
    }
    const theirs: Measure[] = [];
    for (let i = 0; i < runs; i += 1) theirs.push(run('python3', ['-c', PYTHON, settings]));
    const theirMs = median(theirs.map((m) => m.ms));
    const theirPeak = Math.min(...theirs.map((m) => m.peakMb));
    console.log(`PyYAML yaml.safe_load:  ${theirMs.toFixed(0).padStart(6)} ms (runs: ${theirs.map((m) => m.ms.toFixed(0)).join(', ')}), peak RSS ${theirPeak.toFixed(0)} MB (python process)`);
    const speedup = theirMs / oursMs;
    console.log(`speed-up: ${speedup.toFixed(1)}x (goal: at least 10x); peak memory: ${oursPeak.toFixed(0)} MB vs ${theirPeak.toFixed(0)} MB (goal: lower)`);
    if (speedup < 10 || oursPeak >= theirPeak) process.exitCode = 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
