/**
 * Which history table a command reads: DynamoDB on AWS (`--table`, `--region`, or SPA_CD_TABLE), any endpoint
 * (`--endpoint`), or by default the local store of `spa-cd local` under `--data` (.spa-cd/data).
 * A running `spa-cd local` publishes its endpoint in the data folder; otherwise the store is opened in-process.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Command } from 'commander';
import { DynamoDbDeploymentStore } from '../shared/adapters/dynamodb-deployment-store';
import { localDynamoClient } from '../shared/adapters/local-dynamo';
import { DEFAULT_DATA_DIR, ENDPOINT_FILE, LOCAL_TABLE } from './local/local-paths';
import { openLocalStore } from './local/local-store';
import type { CliIo } from './cli-io';
import { UsageError } from './usage-error';

export { DEFAULT_DATA_DIR, ENDPOINT_FILE, LOCAL_TABLE } from './local/local-paths';

export interface StoreOptions {
  table?: string;
  region?: string;
  endpoint?: string;
  data?: string;
}

export function addStoreOptions(command: Command): Command {
  return command
    .option('--table <name>', 'DynamoDB history table on AWS (default: SPA_CD_TABLE, else the local store)')
    .option('--region <region>', 'AWS region of the table (default: AWS_REGION)')
    .option('--endpoint <url>', 'a DynamoDB-compatible endpoint (e.g. http://127.0.0.1:8000)')
    .option('--data <dir>', `data folder of the local store (default ${DEFAULT_DATA_DIR})`);
}

export interface StoreConnection {
  readonly store: DynamoDbDeploymentStore;
  readonly description: string;
  close(): Promise<void>;
}

export async function openStore(options: StoreOptions, io: CliIo): Promise<StoreConnection> {
  const table = options.table ?? io.env.SPA_CD_TABLE;
  if (options.endpoint !== undefined) {
    if (!/^https?:\/\/[^\s]+$/.test(options.endpoint)) throw new UsageError(`--endpoint ${options.endpoint}: expected an http(s) URL`);
    const { client, destroy } = localDynamoClient(options.endpoint);
    return { store: new DynamoDbDeploymentStore(client, table ?? LOCAL_TABLE), description: `${options.endpoint} table ${table ?? LOCAL_TABLE}`, close: async () => destroy() };
  }
  if (table !== undefined) {
    const region = options.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
    if (region === undefined) throw new UsageError('--table needs a region: pass --region or set AWS_REGION');
    const base = new DynamoDBClient({ region });
    const client = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
    return { store: new DynamoDbDeploymentStore(client, table), description: `DynamoDB ${region} table ${table}`, close: async () => client.destroy() };
  }
  const data = resolve(io.cwd, options.data ?? DEFAULT_DATA_DIR);
  // The LevelDB folder opens in one process only: use the running `spa-cd local` when there is one; otherwise open
  // it under the same lock, waiting a little for a `spa-cd local` that is starting to publish its endpoint.
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const published = readPublishedEndpoint(data);
    if (published !== undefined && (await reachable(published))) {
      const { client, destroy } = localDynamoClient(published);
      return { store: new DynamoDbDeploymentStore(client, LOCAL_TABLE), description: `local store ${published} (spa-cd local is running)`, close: async () => destroy() };
    }
    if (!existsSync(join(data, 'dynamo'))) {
      throw new UsageError(`no local store in ${data}: run \`npm start\` (spa-cd local) first, or pass --table/--endpoint for another store`);
    }
    try {
      const local = await openLocalStore(data);
      return { store: local.store, description: `local store ${data}`, close: () => local.close() };
    } catch (error) {
      if (!(error instanceof UsageError) || Date.now() >= deadline) throw error;
      await new Promise((wake) => setTimeout(wake, 200));
    }
  }
}

/** How long a command waits for a `spa-cd local` that holds the store to publish its endpoint. */
const LOCK_WAIT_MS = 5_000;

export function readPublishedEndpoint(data: string): string | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(data, ENDPOINT_FILE), 'utf8')) as { endpoint?: unknown };
    return typeof parsed.endpoint === 'string' && /^http:\/\/127\.0\.0\.1:\d+$/.test(parsed.endpoint) ? parsed.endpoint : undefined;
  } catch {
    return undefined;
  }
}

async function reachable(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(endpoint, { method: 'GET', signal: AbortSignal.timeout(500) });
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}
