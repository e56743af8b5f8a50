import { randomUUID } from 'node:crypto';
import { STSClient } from '@aws-sdk/client-sts';
import type { Command } from 'commander';
import { callerIdentity } from '../../shared/adapters/sts-credentials';
import { ConfigError, loadControllerConfig } from '../../shared/config';
import { silentLog, noMetrics } from '../../shared/ports/telemetry';
import { DeploymentNotFoundError } from '../../shared/ports/deployment-store';
import { UnknownRevisionError } from '../../shared/ports/settings-source';
import { toJson } from '../../shared/rendering/json-output';
import { DeploymentRequestError, requestDeployment, type DeploymentRequest } from '../../shared/use-cases/deployment/request-deployment';
import type { DeploymentDependencies } from '../../shared/use-cases/deployment/deployment-dependencies';
import { awsDeploymentDependencies, createAwsClients } from '../../shared/wiring/aws-deployment-dependencies';
import type { CliIo } from '../cli-io';
import { addStoreOptions, type StoreOptions } from '../store-connection';
import { UsageError } from '../usage-error';
import { localDeploymentDependencies } from '../local/local-deployment-dependencies';

interface DeployOptions extends StoreOptions {
  env?: string;
  commit?: string;
  redeploy?: string;
  repo?: string;
  json?: boolean;
}

export function registerDeploy(program: Command, io: CliIo): void {
  addStoreOptions(
    program
      .command('deploy')
      .description('deploy an environment at a settings commit (trigger manual), or run a previous deployment again (--redeploy, same commits)')
      .option('--env <name>', 'the environment (required unless --redeploy)')
      .option('--commit <sha>', 'the settings commit (default: the trunk head)')
      .option('--redeploy <id>', 'the id of a deployment to run again with its settings commit and SPA version')
      .option('--repo <dir>', 'local mode: the settings repository (default .spa-cd/repo)')
      .option('--json', 'print the deployment record as JSON'),
  ).action(async (options: DeployOptions) => {
    io.exitCode = await runDeploy(options, io);
  });
}

async function runDeploy(options: DeployOptions, io: CliIo): Promise<number> {
  if (options.redeploy !== undefined && (options.commit !== undefined || options.env !== undefined)) {
    throw new UsageError('--redeploy takes the environment and commits of that deployment: do not combine it with --env or --commit');
  }
  if (options.redeploy === undefined && options.env === undefined) throw new UsageError('pass --env NAME (with --commit SHA or the trunk head), or --redeploy ID');
  // the same choice as openStore: an endpoint or a data folder is a local store, else a table is the controller's
  const aws = options.endpoint === undefined && options.data === undefined && (options.table ?? io.env.SPA_CD_TABLE) !== undefined;
  const { deps, requestedBy, trunk, close, handOff } = aws ? await awsDeps(options, io) : await localDeploymentDependencies(options, io);
  try {
    const requestId = randomUUID();
    let request: DeploymentRequest;
    if (options.redeploy !== undefined) request = { kind: 'redeploy', deploymentId: options.redeploy, requestId, requestedBy };
    else {
      const commit = await deps.repository.resolve(options.commit ?? trunk);
      request = { kind: 'commit', environment: options.env ?? '', commit, requestId, requestedBy };
    }
    const outcome = await requestDeployment(deps, request);
    if (options.json) io.out(toJson(outcome));
    else {
      const d = 'deployment' in outcome ? outcome.deployment : undefined;
      const what = outcome.outcome === 'busy' && handOff ? 'handed to spa-cd local, which starts it' : outcome.outcome;
      io.out(`${outcome.environment}: ${what}${d ? ` — deployment ${d.id} (${d.status}) settings ${d.settingsCommit.slice(0, 12)} SPA ${d.spaVersion || '-'}` : ''}`);
    }
    return outcome.outcome === 'failed-to-start' ? 1 : 0;
  } catch (error) {
    if (error instanceof DeploymentRequestError || error instanceof DeploymentNotFoundError || error instanceof UnknownRevisionError) throw new UsageError(error.message);
    throw error;
  } finally {
    await close();
  }
}

async function awsDeps(options: DeployOptions, io: CliIo): Promise<{ deps: DeploymentDependencies; requestedBy: string; trunk: string; close: () => Promise<void>; handOff: false }> {
  let config;
  try {
    config = loadControllerConfig(io.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(`${error.message} (deploy on AWS reads the controller's SPA_CD_* variables: see the README)`);
    throw error;
  }
  // the deployment goes through the controller's table and region: a different one asked for is refused, not ignored
  if (options.table !== undefined && options.table !== config.table) {
    throw new UsageError(`--table ${options.table}: deploy on AWS uses the controller's table ${config.table} (SPA_CD_TABLE)`);
  }
  if (options.region !== undefined && options.region !== config.region) {
    throw new UsageError(`--region ${options.region}: deploy on AWS uses the controller's region ${config.region}`);
  }
  const identity = await callerIdentity(new STSClient({ region: config.region }));
  const deps = awsDeploymentDependencies(config, createAwsClients(config), { log: silentLog, metrics: noMetrics });
  return { deps, requestedBy: identity.arn, trunk: config.trunk, close: async () => {}, handOff: false };
}
