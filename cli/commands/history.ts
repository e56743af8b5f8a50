import type { Command } from 'commander';
import { DEPLOYMENT_STATUSES, type DeploymentStatus } from '../../shared/domain/deployment/deployment';
import { InvalidHistoryQueryError } from '../../shared/ports/deployment-store';
import { renderHistoryTable } from '../../shared/rendering/deployment-table';
import { toJson } from '../../shared/rendering/json-output';
import { shellQuote } from '../../shared/rendering/shell-quote';
import type { CliIo } from '../cli-io';
import { addStoreOptions, openStore, type StoreOptions } from '../store-connection';
import { UsageError } from '../usage-error';

interface HistoryOptions extends StoreOptions {
  env?: string;
  limit: string;
  status?: string;
  commit?: string;
  cursor?: string;
  json?: boolean;
}

export function registerHistory(program: Command, io: CliIo): void {
  addStoreOptions(
    program
      .command('history')
      .description('deployments, newest first: what was deployed where, when, by whom and with what result')
      .option('--env <name>', 'only this environment')
      .option('--limit <n>', 'at most this many deployments (1-1000)', '20')
      .option('--status <status>', `only this status (${DEPLOYMENT_STATUSES.join(', ')})`)
      .option('--commit <sha>', 'only the deployments of this settings commit (full 40-hex id)')
      .option('--cursor <cursor>', 'the next page: the cursor printed by the previous page')
      .option('--json', 'print a JSON array of deployment records'),
  ).action(async (options: HistoryOptions) => {
    io.exitCode = await runHistory(options, io);
  });
}

async function runHistory(options: HistoryOptions, io: CliIo): Promise<number> {
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError(`--limit ${options.limit}: expected a whole number from 1 to 1000`);
  if (options.status !== undefined && !(DEPLOYMENT_STATUSES as readonly string[]).includes(options.status)) {
    throw new UsageError(`--status ${options.status}: expected one of ${DEPLOYMENT_STATUSES.join(', ')}`);
  }
  if (options.commit !== undefined && !/^[0-9a-f]{40}$/.test(options.commit)) throw new UsageError(`--commit ${options.commit}: expected a full 40-hex commit id`);
  const connection = await openStore(options, io);
  try {
    const page = await connection.store.history({
      limit,
      ...(options.env ? { environment: options.env } : {}),
      ...(options.status ? { status: options.status as DeploymentStatus } : {}),
      ...(options.commit ? { commit: options.commit } : {}),
      ...(options.cursor ? { cursor: options.cursor } : {}),
    });
    if (options.json) io.out(toJson(page.items));
    else {
      io.out(renderHistoryTable(page.items, new Date()));
      if (page.nextCursor) io.out(`more: spa-cd history ${nextPageArguments(options, limit, page.nextCursor)}`);
    }
    if (options.json && page.nextCursor) io.err(`more: spa-cd history ${nextPageArguments(options, limit, page.nextCursor)}`);
    return 0;
  } catch (error) {
    if (error instanceof InvalidHistoryQueryError) throw new UsageError(error.message);
    throw error;
  } finally {
    await connection.close();
  }
}

/** The arguments of the same query's next page: every filter and store option given, and the cursor. */
function nextPageArguments(options: HistoryOptions, limit: number, cursor: string): string {
  const given: Array<[string, string | undefined]> = [
    ['--env', options.env],
    ['--status', options.status],
    ['--commit', options.commit],
    ['--table', options.table],
    ['--region', options.region],
    ['--endpoint', options.endpoint],
    ['--data', options.data],
  ];
  const parts = given.filter((entry): entry is [string, string] => entry[1] !== undefined).map(([flag, value]) => `${flag} ${shellQuote(value)}`);
  return [...parts, `--limit ${limit}`, ...(options.json ? ['--json'] : []), `--cursor ${cursor}`].join(' ');
}
