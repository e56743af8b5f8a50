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
import { UsageError } from './usage-error';
import { processIo, type CliIo } from './cli-io';

type Register = (program: Command, io: CliIo) => void;

/**
 * The commands, each loaded only when it runs: `validate` does not pay for the AWS SDK and local mode's modules.
 * (Help without a command loads them all, to list them.)
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  validate: async () => (await import('./commands/validate')).registerValidate,
  plan: async () => (await import('./commands/plan')).registerPlan,
  history: async () => (await import('./commands/history')).registerHistory,
  status: async () => (await import('./commands/status')).registerStatus,
  deploy: async () => (await import('./commands/deploy')).registerDeploy,
  local: async () => (await import('./commands/local')).registerLocal,
};

export async function buildProgram(io: CliIo, argv: readonly string[] = []): Promise<Command> {
  const program = new Command('spa-cd')
    .description('GitOps controller for Sustainable Personal Accounts: validate settings, plan changes, deploy, query history')
    .showHelpAfterError()
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) })
    .exitOverride();
  const named = argv.find((arg) => !arg.startsWith('-'));
  const wanted = named !== undefined && named in COMMANDS ? [named] : Object.keys(COMMANDS);
  for (const register of await Promise.all(wanted.map((name) => COMMANDS[name]?.()))) register?.(program, io);
  return program;
}

/** Runs one command line; resolves to the exit code (0 ok, 1 invalid or failed, 2 usage or I/O error). Never throws. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const program = await buildProgram(io, argv);
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
