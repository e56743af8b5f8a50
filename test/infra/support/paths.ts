/** Where the repository and the installation configurations are, without loading the CDK (synth.ts does). */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, '../../..');
export const FIXTURE_BUNDLES = resolve(here, '../fixtures/bundles');
export const configFile = (name: string): string => join(REPO_ROOT, 'infra', 'config', name);
