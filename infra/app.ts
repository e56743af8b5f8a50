/**
 * CDK entry point: synthesizes the three stacks of one installation, offline (explicit accounts and region,
 * no lookups), with cdk-nag AwsSolutions as a validation plugin: an unacknowledged finding fails synthesis.
 *
 *   npm run build && node --import tsx infra/app.ts                  # infra/config/example.json into cdk.out/
 *   SPA_CD_CONFIG=infra/config/mine.json node --import tsx infra/app.ts
 *   npx cdk deploy --all --app "node --import tsx infra/app.ts" -c config=infra/config/mine.json
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { InstallationConfigError, loadInstallationConfig } from './config/installation-config';
import { MissingBundleError } from './constructs/controller-function';
import { buildSpaCdApp } from './spa-cd-app';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function configPath(): string {
  // `-c config=...` reaches the app through the CDK_CONTEXT_JSON variable the CDK CLI sets.
  const fromContext: unknown = new App({ autoSynth: false }).node.tryGetContext('config');
  const chosen = process.env.SPA_CD_CONFIG ?? (typeof fromContext === 'string' ? fromContext : undefined);
  return chosen === undefined ? join(root, 'infra', 'config', 'example.json') : resolve(chosen);
}

try {
  const config = loadInstallationConfig(configPath());
  const { app } = buildSpaCdApp({
    config,
    functionsCodeDirectory: process.env.SPA_CD_BUNDLES ?? join(root, 'dist'),
    outdir: process.env.CDK_OUTDIR ?? join(root, 'cdk.out'),
    nag: true,
  });
  const assembly = app.synth();
  for (const stack of assembly.stacks) console.error(`synthesized ${stack.stackName} (account ${stack.environment.account}, ${stack.environment.region})`);
} catch (error) {
  if (error instanceof InstallationConfigError || error instanceof MissingBundleError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
