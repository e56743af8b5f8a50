import type { Command } from 'commander';
import { renderStatusTable } from '../../shared/rendering/deployment-table';
import { toJson } from '../../shared/rendering/json-output';
import type { CliIo } from '../cli-io';
import { addStoreOptions, openStore, type StoreOptions } from '../store-connection';

export function registerStatus(program: Command, io: CliIo): void {
  addStoreOptions(
    program
      .command('status')
      .description('what runs now in each environment (settings commit, SPA version, since when), and what is deploying or queued')
      .option('--json', 'print JSON'),
  ).action(async (options: StoreOptions & { json?: boolean }) => {
    const connection = await openStore(options, io);
    try {
      const environments = await connection.store.listEnvironments();
      io.out(options.json ? toJson(environments) : renderStatusTable(environments, new Date()));
      io.exitCode = 0;
    } finally {
      await connection.close();
    }
  });
}
