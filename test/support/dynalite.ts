/**
 * A real DynamoDB-compatible server (dynalite, in memory) for adapter tests: one per test file, one table per test.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { createTable } from '../../shared/adapters/dynamodb-deployment-store';

export interface LocalDynamo {
  readonly endpoint: string;
  readonly client: DynamoDBDocumentClient;
  close(): Promise<void>;
}

export async function startDynalite(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const base = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });
  const client = DynamoDBDocumentClient.from(base);
  return {
    endpoint,
    client,
    close: async () => {
      client.destroy();
      base.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** Creates a history table with a name no other test uses, and returns the name. */
export async function freshHistoryTable(local: LocalDynamo, prefix = 'history'): Promise<string> {
  const name = `${prefix}-${randomUUID()}`;
  await createTable(local.client, name);
  return name;
}
