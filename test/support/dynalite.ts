/**
 * A real DynamoDB-compatible server (dynalite, in memory) for adapter tests: one per test file, one table per test.
 */
import { randomUUID } from 'node:crypto';
import { createTable } from '../../shared/adapters/dynamodb-deployment-store';
import { startLocalDynamo, type LocalDynamo } from '../../shared/adapters/local-dynamo';

export type { LocalDynamo } from '../../shared/adapters/local-dynamo';

export function startDynalite(): Promise<LocalDynamo> {
  return startLocalDynamo();
}

/** Creates a history table with a name no other test uses, and returns the name. */
export async function freshHistoryTable(local: LocalDynamo, prefix = 'history'): Promise<string> {
  const name = `${prefix}-${randomUUID()}`;
  await createTable(local.client, name);
  return name;
}
