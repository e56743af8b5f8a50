/**
 * Bundle sizes and cold import times of the Lambda bundles, next to one bundle of all the project's runtime
 * dependencies built the same way in the same run (the upper bound a handler could reach).
 *
 *   npm run -s bench:bundles            # BENCH_RUNS=7 by default
 *
 * Import time: a fresh `node` process per run imports the bundle and reports performance.now() around the
 * import (process start-up excluded); the median of the runs is printed, without and with --enable-source-maps
 * (the Lambdas set NODE_OPTIONS=--enable-source-maps). Machine-dependent: compare rows of one run, not runs.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync, mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { BUNDLE_OPTIONS, ROOT, bundleFunctions, copyWasm, kB, shSyntaxWasmPlugin } from '../esbuild.config.mjs';
import { loadInstallationConfig } from '../infra/config/installation-config';
import { controllerEnvironment } from '../infra/controller-environment';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? '7') || 7);

interface Measured {
  readonly name: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly mapBytes: number;
  readonly importMs: number;
  readonly importWithMapsMs: number;
  readonly note: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

/** Median milliseconds of `await import(file)` in fresh Node processes. */
function coldImportMs(file: string, env: Record<string, string>, sourceMaps: boolean): number {
  const script = `const t0 = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t0));`;
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const args = ['--no-warnings', ...(sourceMaps ? ['--enable-source-maps'] : []), '--input-type=module', '-e', script];
    const result = spawnSync(process.execPath, args, { env: { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-1', ...env }, encoding: 'utf8', timeout: 60_000 });
    if (result.status !== 0) throw new Error(`importing ${file} failed:\n${result.stderr.slice(0, 2000)}`);
    samples.push(Number(result.stdout));
  }
  return median(samples);
}

/** One ESM bundle re-exporting every runtime dependency of package.json, with the same options as the functions. */
async function bundleAllDependencies(outdir: string): Promise<{ file: string; packages: string[] }> {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const packages = Object.keys(manifest.dependencies ?? {}).sort();
  const file = join(outdir, 'all-dependencies', 'index.mjs');
  mkdirSync(join(outdir, 'all-dependencies'), { recursive: true });
  const { outExtension: _unused, ...options } = BUNDLE_OPTIONS;
  const result = await esbuild.build({
    ...options,
    absWorkingDir: ROOT,
    stdin: { contents: packages.map((name, index) => `export * as d${index} from ${JSON.stringify(name)};`).join('\n'), resolveDir: ROOT, sourcefile: 'all-dependencies.ts', loader: 'ts' },
    outfile: file,
    plugins: [shSyntaxWasmPlugin],
  });
  const key = Object.keys(result.metafile?.outputs ?? {}).find((path) => path.endsWith('all-dependencies/index.mjs'));
  copyWasm(ROOT, file, key === undefined ? undefined : result.metafile?.outputs[key]);
  return { file, packages };
}

function measure(name: string, file: string, env: Record<string, string>, note: string): Measured {
  return {
    name,
    bytes: statSync(file).size,
    gzipBytes: gzipSync(readFileSync(file)).length,
    mapBytes: existsSync(`${file}.map`) ? statSync(`${file}.map`).size : 0,
    importMs: coldImportMs(file, env, false),
    importWithMapsMs: coldImportMs(file, env, true),
    note,
  };
}

function table(rows: readonly Measured[]): string {
  const lines = [['bundle', 'size', 'gzip', 'map', 'import ms', 'with maps ms', 'note']];
  for (const row of rows) {
    lines.push([row.name, kB(row.bytes), kB(row.gzipBytes), kB(row.mapBytes), row.importMs.toFixed(1), row.importWithMapsMs.toFixed(1), row.note]);
  }
  const widths = lines[0]?.map((_, column) => Math.max(...lines.map((line) => line[column]?.length ?? 0))) ?? [];
  return lines
    .map((line) => line.map((cell, column) => (column === 0 || column === 6 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ').trimEnd())
    .join('\n');
}

async function main(): Promise<void> {
  const outdir = mkdtempSync(join(tmpdir(), 'spa-cd-bench-bundles-'));
  try {
    const env = controllerEnvironment(loadInstallationConfig(join(ROOT, 'infra', 'config', 'example.json')));

    const started = performance.now();
    const bundles = await bundleFunctions({ root: ROOT, outdir });
    const dependencies = await bundleAllDependencies(outdir);
    const buildMs = performance.now() - started;

    const rows = bundles.map((bundle) => measure(bundle.name, bundle.file, { ...env, POWERTOOLS_SERVICE_NAME: bundle.name }, `largest: ${bundle.largestPackage}`));
    rows.push(measure('all-dependencies', dependencies.file, {}, `${dependencies.packages.length} packages of package.json "dependencies"`));

    console.log(`node ${process.version}, ${RUNS} runs per figure (median), esbuild build of all bundles ${buildMs.toFixed(0)} ms\n`);
    console.log(table(rows));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
