/** Where local mode keeps its things, and how builds run this checkout's `spa-cd`. */
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CliCommand } from './local-build-runner';

export const DEFAULT_REPO_DIR = '.spa-cd/repo';
export const DEFAULT_REVIEWS_DIR = '.spa-cd/reviews';
export const STATE_FILE = 'local-state.json';
/** The local store: data folder, its LevelDB, the endpoint a running `spa-cd local` publishes, the table. */
export const DEFAULT_DATA_DIR = '.spa-cd/data';
export const ENDPOINT_FILE = 'endpoint.json';
export const LOCAL_TABLE = 'spa-cd-history';

/** `node --import <tsx> cli/main.ts`, with absolute paths (a build runs in a temporary folder). */
export function localCliCommand(): CliCommand {
  const here = dirname(fileURLToPath(import.meta.url));
  return {
    node: process.execPath,
    loader: pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href,
    main: resolve(here, '../main.ts'),
  };
}

/** Reviews go beside the data folder: `.spa-cd/reviews` by default, `<data>/reviews` for another data folder. */
export function defaultReviewsDir(cwd: string, data: string | undefined): string {
  return data === undefined ? resolve(cwd, DEFAULT_REVIEWS_DIR) : join(resolve(cwd, data), 'reviews');
}
