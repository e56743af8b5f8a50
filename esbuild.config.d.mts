/** Types of esbuild.config.mjs, for the tests and benchmarks that import it. */
import type { BuildOptions } from 'esbuild';

export declare const ROOT: string;
export declare const BUNDLE_OPTIONS: BuildOptions;

export interface BundleRow {
  readonly name: string;
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly mapBytes: number;
  /** The package contributing most bytes, with its size: `zod 444.1 kB`. */
  readonly largestPackage: string;
}

export declare function findFunctions(root?: string): string[];
export declare function bundleFunctions(options?: { root?: string; outdir?: string; names?: readonly string[] }): Promise<BundleRow[]>;
export declare function kB(bytes: number): string;
export declare function sizeTable(rows: readonly BundleRow[]): string;

/** esbuild plugin that makes sh-syntax work bundled (see esbuild.config.mjs). */
export declare const shSyntaxWasmPlugin: import('esbuild').Plugin;
/** Copies sh-syntax's main.wasm beside an output file whose metafile inputs include sh-syntax; true when copied. */
export declare function copyWasm(root: string, outputFile: string, output: { inputs?: Record<string, unknown> } | undefined): boolean;
/** Bundles cli/main.ts with code splitting into `<outdir>/main.mjs` (default dist/cli); resolves to that path. */
export declare function bundleCli(options?: { root?: string; outdir?: string; target?: string }): Promise<string>;
