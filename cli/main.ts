#!/usr/bin/env node
/**
 * `spa-cd`: the command line. A composition root: it wires adapters to the same use cases the Lambdas run.
 * Exit codes: 0 success / valid, 1 invalid or failed, 2 usage or I/O error.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';

// The machines running the CLI may have Node 20: the SDK's notice about future versions is not for spa-cd's users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { registerValidate } from './commands/validate';
import { registerPlan } from './commands/plan';
import { registerHistory } from './commands/history';
import { registerStatus } from './commands/status';
import { registerDeploy } from './commands/deploy';
import { registerLocal } from './commands/local';
import { UsageError } from './usage-error';
import { processIo, type CliIo } from './cli-io';

export function buildProgram(io: CliIo): Command {
  const program = new Command('spa-cd')
    .description('GitOps controller for Sustainable Personal Accounts: validate settings, plan changes, deploy, query history')
    .showHelpAfterError()
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) })
    .exitOverride();
  registerValidate(program, io);
  registerPlan(program, io);
  registerHistory(program, io);
  registerStatus(program, io);
  registerDeploy(program, io);
  registerLocal(program, io);
  return program;
}

/** Runs one command line; resolves to the exit code (0 ok, 1 invalid or failed, 2 usage or I/O error). Never throws. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return io.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? 0 : 2;
    }
    const message = error instanceof UsageError || error instanceof Error ? error.message : String(error);
    io.err(`spa-cd: ${message}`);
    return 2;
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`spa-cd: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
