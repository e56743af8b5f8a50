/**
 * A DynamoDB-compatible server on this machine (dynalite), for local mode, `spa-cd history` on the local store,
 * and tests. Listens on 127.0.0.1 only; in memory, or persisted in a LevelDB folder when `path` is given.
 */
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface LocalDynamo {
  readonly endpoint: string;
  readonly client: DynamoDBDocumentClient;
  close(): Promise<void>;
}

export async function startLocalDynamo(options: { path?: string; port?: number } = {}): Promise<LocalDynamo> {
  // Loaded on demand: commands that never start a local store (validate, plan) do not pay for it.
  const { default: dynalite } = await import('dynalite');
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.path ? { path: options.path } : {}) });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const { client, destroy } = localDynamoClient(endpoint);
  return {
    endpoint,
    client,
    close: async () => {
      destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** A document client for a local endpoint (fixed fake credentials: dynalite does not check them). */
export function localDynamoClient(endpoint: string): { client: DynamoDBDocumentClient; destroy: () => void } {
  const base = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 3 });
  const client = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
  return {
    client,
    destroy: () => {
      client.destroy();
      base.destroy();
    },
  };
}
