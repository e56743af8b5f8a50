/**
 * Bundles each Lambda, `functions/<name>/handler.ts`, into `dist/<name>/index.mjs` (the folder the CDK stack
 * deploys): ESM for Node.js 22, minified, with a linked source map. Everything is bundled, the AWS SDK included
 * (the runtime's copy changes under you). Prints a table of bundle sizes.
 *
 *   npm run build                      # every function
 *   node esbuild.config.mjs reconcile  # some of them
 *
 * Also a module: the bundle test and the bundle benchmark call `bundleFunctions` with their own output folder.
 */
import { copyFileSync, existsSync, readdirSync, readFileSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

export const ROOT = dirname(fileURLToPath(import.meta.url));

/** Options shared by every bundle (the benchmark's dependency bundle uses them too). */
export const BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  // ESM entry points of dependencies first: better tree shaking of the AWS SDK
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: 'linked',
  // no embedded sources: the map stays small, stack traces still point at file and line
  sourcesContent: false,
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
  outExtension: { '.js': '.mjs' },
  // CommonJS dependencies bundled into ESM may still call require() for Node built-ins
  banner: { js: "import { createRequire as __spaCdCreateRequire } from 'node:module'; const require = __spaCdCreateRequire(import.meta.url);" },
};

/**
 * sh-syntax (the shell parser) needs two fixes to work bundled:
 * - it reads `../main.wasm` next to its own file at run time; in a bundle that would be `dist/main.wasm`, outside
 *   the function's folder: it reads `./main.wasm` instead, and `copyWasm` puts the file beside each bundle;
 * - its package.json lists `vendors/wasm_exec.js` as having side effects, but the file is `wasm_exec.cjs`, so a
 *   bundler drops the import that defines the Go runtime (`Go is not defined` at the first parse).
 */
export const shSyntaxWasmPlugin = {
  name: 'sh-syntax-wasm',
  setup(build) {
    build.onResolve({ filter: /[\\/]wasm_exec\.cjs$/ }, (args) =>
      /[\\/]node_modules[\\/]sh-syntax[\\/]/.test(args.importer) ? { path: resolve(args.resolveDir, args.path), sideEffects: true } : undefined,
    );
    build.onLoad({ filter: /[\\/]node_modules[\\/]sh-syntax[\\/]lib[\\/]index\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const patched = source.replace("'../main.wasm'", "'./main.wasm'");
      if (patched === source) throw new Error(`${args.path} no longer reads '../main.wasm': update shSyntaxWasmPlugin in esbuild.config.mjs`);
      return { contents: patched, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/**
 * Copies sh-syntax's main.wasm beside an output file whose inputs include sh-syntax, and its Go runtime
 * (`wasm_exec.cjs`), which the shell syntax checker loads into worker threads so every parse runs under a deadline.
 */
export function copyWasm(root, outputFile, output) {
  const usesShSyntax = Object.keys(output?.inputs ?? {}).some((path) => path.includes('node_modules/sh-syntax/'));
  if (usesShSyntax) {
    copyFileSync(join(root, 'node_modules', 'sh-syntax', 'main.wasm'), join(dirname(outputFile), 'main.wasm'));
    copyFileSync(join(root, 'node_modules', 'sh-syntax', 'vendors', 'wasm_exec.cjs'), join(dirname(outputFile), 'wasm_exec.cjs'));
  }
  return usesShSyntax;
}

/** The function names: folders of `functions/` holding a `handler.ts`. */
export function findFunctions(root = ROOT) {
  const folder = join(root, 'functions');
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(folder, entry.name, 'handler.ts')))
    .map((entry) => entry.name)
    .sort();
}

/**
 * Bundles the named functions (default: all) into `<outdir>/<name>/index.mjs`, replacing what was there, and
 * writes each metafile to `<outdir>/meta/<name>.json` (outside the folders the stack uploads).
 * Returns one line per bundle: name, file, bytes, gzip bytes, source map bytes, largest package.
 */
export async function bundleFunctions({ root = ROOT, outdir = join(root, 'dist'), names = findFunctions(root) } = {}) {
  if (names.length === 0) return [];
  for (const name of names) rmSync(join(outdir, name), { recursive: true, force: true });
  const result = await esbuild.build({
    ...BUNDLE_OPTIONS,
    absWorkingDir: root,
    entryPoints: names.map((name) => ({ in: join(root, 'functions', name, 'handler.ts'), out: `${name}/index` })),
    outdir,
    plugins: [shSyntaxWasmPlugin],
  });
  mkdirSync(join(outdir, 'meta'), { recursive: true });
  return names.map((name) => {
    const file = join(outdir, name, 'index.mjs');
    const key = relative(root, file).split('\\').join('/');
    const output = result.metafile.outputs[key];
    writeFileSync(join(outdir, 'meta', `${name}.json`), JSON.stringify({ inputs: result.metafile.inputs, outputs: { [key]: output } }));
    copyWasm(ROOT, file, output);
    return {
      name,
      file,
      bytes: statSync(file).size,
      gzipBytes: gzipSync(readFileSync(file)).length,
      mapBytes: existsSync(`${file}.map`) ? statSync(`${file}.map`).size : 0,
      largestPackage: largestPackage(output?.inputs ?? {}),
    };
  });
}

/**
 * Bundles the command line, `cli/main.ts`, into `<outdir>/main.mjs` plus shared chunks (code splitting): each command is
 * its own chunk, loaded only when it runs, so `spa-cd validate` does not parse the AWS SDK (about 60 ms and 17 MB less
 * than one 1.6 MB file). Run it with `node --max-semi-space-size=2 dist/cli/main.mjs <command>`. The AWS CDK and
 * dynalite stay outside (local mode and the infrastructure load them from node_modules).
 * Returns the entry point's path.
 */
export async function bundleCli({ root = ROOT, outdir = join(root, 'dist', 'cli'), target = BUNDLE_OPTIONS.target } = {}) {
  rmSync(outdir, { recursive: true, force: true });
  const result = await esbuild.build({
    ...BUNDLE_OPTIONS,
    absWorkingDir: root,
    entryPoints: [{ in: join(root, 'cli', 'main.ts'), out: 'main' }],
    outdir,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    target,
    external: ['dynalite', 'aws-cdk-lib', 'constructs'],
    plugins: [shSyntaxWasmPlugin],
  });
  const shSyntax = Object.entries(result.metafile.outputs).find(([, output]) => Object.keys(output.inputs).some((path) => path.includes('node_modules/sh-syntax/')));
  // the chunk that holds sh-syntax reads main.wasm (and its worker wasm_exec.cjs) beside itself
  if (shSyntax !== undefined) copyWasm(root, join(root, shSyntax[0]), shSyntax[1]);
  return join(outdir, 'main.mjs');
}

/** The package contributing most bytes to an output, e.g. `@aws-sdk/client-codecommit 120.3 kB`. */
function largestPackage(inputs) {
  const byPackage = new Map();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const name = match?.[1] ?? '(project code)';
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  const [name, bytes] = [...byPackage.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['-', 0];
  return `${name} ${kB(bytes)}`;
}

export function kB(bytes) {
  return `${(bytes / 1024).toFixed(1)} kB`;
}

export function sizeTable(rows) {
  const lines = [['function', 'index.mjs', 'gzip', 'map', 'largest package']];
  for (const row of rows) lines.push([row.name, kB(row.bytes), kB(row.gzipBytes), kB(row.mapBytes), row.largestPackage]);
  const widths = lines[0].map((_, column) => Math.max(...lines.map((line) => line[column].length)));
  return lines.map((line) => line.map((cell, column) => (column === 0 || column === 4 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd()).join('\n');
}

async function main() {
  const all = findFunctions();
  const requested = process.argv.slice(2);
  const unknown = requested.filter((name) => !all.includes(name));
  if (unknown.length > 0) {
    console.error(`unknown function(s): ${unknown.join(', ')}; known: ${all.join(', ') || 'none'}`);
    process.exit(2);
  }
  const rows = await bundleFunctions({ names: requested.length > 0 ? requested : all });
  console.log(sizeTable(rows));
  console.log(`\n${rows.length} bundle(s) in ${relative(process.cwd(), resolve(ROOT, 'dist')) || '.'}/<name>/index.mjs`);
  if (requested.length === 0) console.log(`command line: ${relative(process.cwd(), await bundleCli()) || '.'}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
