/**
 * The history store of local mode: dynalite in this process on a free 127.0.0.1 port, persisted under
 * `<data>/dynamo`, the same table and the same DynamoDB adapters as on AWS. While it runs, its endpoint is published
 * in `<data>/endpoint.json` so `spa-cd history`, `status` and `deploy` talk to it (the LevelDB folder can only be
 * open in one process). A lock file keeps a second `spa-cd local` off the same data folder.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createTable, DynamoDbDeploymentStore } from '../../shared/adapters/dynamodb-deployment-store';
import { DynamoDbReviewStore } from '../../shared/adapters/dynamodb-review-store';
import { startLocalDynamo } from '../../shared/adapters/local-dynamo';
import { ENDPOINT_FILE, LOCAL_TABLE } from './local-paths';
import { UsageError } from '../usage-error';

export const LOCK_FILE = 'local.lock';

export interface LocalStore {
  readonly endpoint: string;
  readonly store: DynamoDbDeploymentStore;
  readonly reviews: DynamoDbReviewStore;
  close(): Promise<void>;
}

export async function openLocalStore(data: string): Promise<LocalStore> {
  mkdirSync(data, { recursive: true });
  const releaseLock = takeLock(join(data, LOCK_FILE));
  try {
    const local = await startLocalDynamo({ path: join(data, 'dynamo') });
    await createTable(local.client, LOCAL_TABLE);
    const endpointFile = join(data, ENDPOINT_FILE);
    writeFileSync(endpointFile, `${JSON.stringify({ endpoint: local.endpoint, pid: process.pid })}\n`);
    let closed = false;
    return {
      endpoint: local.endpoint,
      store: new DynamoDbDeploymentStore(local.client, LOCAL_TABLE),
      reviews: new DynamoDbReviewStore(local.client, LOCAL_TABLE),
      close: async () => {
        if (closed) return;
        closed = true;
        rmSync(endpointFile, { force: true });
        try {
          await local.close();
        } finally {
          releaseLock();
        }
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/** Creates the lock file, or takes over one left by a process that is gone; refuses while its owner runs. */
function takeLock(file: string): () => void {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => {
        if (ownerOf(file) === process.pid) rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = ownerOf(file);
      if (owner !== undefined && isAlive(owner)) {
        throw new UsageError(`another spa-cd local (pid ${owner}) uses ${join(file, '..')}: stop it first, or pass another --data folder`);
      }
      rmSync(file, { force: true });
    }
  }
  throw new UsageError(`cannot take the lock ${file}: remove it if no spa-cd local runs`);
}

function ownerOf(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
