import { stat } from 'node:fs/promises';
import { basename, dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { FolderSettingsSource } from '../../shared/adapters/folder-settings-source';
import { SmartHttpVersionResolver } from '../../shared/adapters/smart-http-version-resolver';
import { countBySeverity, sortDiagnostics, type Diagnostic } from '../../shared/domain/settings/diagnostics';
import { pythonItemsOf } from '../../shared/domain/settings/effective-settings';
import { ENVIRONMENTS_FOLDER, SETTINGS_FILE } from '../../shared/domain/settings/environments';
import { formatDiagnostic, formatSummary } from '../../shared/rendering/diagnostics-text';
import { jsonChunks } from '../../shared/rendering/json-output';
import {
  validateEnvironment,
  validateRepository,
  validateSettingsFile,
  type EnvironmentValidation,
} from '../../shared/use-cases/validate-settings';
import type { CliIo } from '../cli-io';
import { UsageError } from '../usage-error';

interface ValidateOptions {
  env?: string[];
  json?: boolean;
  strict?: boolean;
  offline?: boolean;
}

export function registerValidate(program: Command, io: CliIo): void {
  program
    .command('validate')
    .description('validate a settings file, an environment folder or a repository exactly as SPA would (exit 0 valid, 1 invalid, 2 usage or I/O error)')
    .argument('[path]', 'a settings.yaml file, an environment folder, or a repository root with environments/', '.')
    .option('--env <name...>', 'in a repository, only these environments')
    .option('--json', 'print one JSON object instead of compiler-style lines')
    .option('--strict', 'warnings make the result invalid')
    .option('--offline', 'do not ask the SPA code repository what the version pin names')
    .action(async (path: string, options: ValidateOptions) => {
      io.exitCode = await runValidate(path, options, io);
    });
}

type Target =
  | { kind: 'file'; root: string; file: string }
  | { kind: 'environment'; root: string; name: string }
  | { kind: 'repository'; root: string };

async function targetOf(path: string, cwd: string): Promise<Target> {
  const absolute = resolve(cwd, path);
  const info = await stat(absolute).catch(() => undefined);
  if (info === undefined) throw new UsageError(`${path}: no such file or folder`);
  if (info.isFile()) return { kind: 'file', root: dirname(absolute), file: basename(absolute) };
  if (!info.isDirectory()) throw new UsageError(`${path}: not a file or folder`);
  if (await exists(resolve(absolute, ENVIRONMENTS_FOLDER))) return { kind: 'repository', root: absolute };
  if (await exists(resolve(absolute, SETTINGS_FILE))) return { kind: 'environment', root: absolute, name: basename(absolute) };
  throw new UsageError(`${path}: neither a settings file, an environment folder (with ${SETTINGS_FILE}) nor a repository (with ${ENVIRONMENTS_FOLDER}/)`);
}

async function runValidate(path: string, options: ValidateOptions, io: CliIo): Promise<number> {
  const target = await targetOf(path, io.cwd);
  const source = new FolderSettingsSource(target.root);
  const resolver = options.offline ? undefined : new SmartHttpVersionResolver();
  let environments: EnvironmentValidation[];
  let diagnostics: Diagnostic[];
  if (target.kind === 'file') {
    if (options.env) throw new UsageError('--env applies to a repository, not to a settings file');
    const env = await validateSettingsFile(source, target.file, '');
    environments = [env];
    diagnostics = env.diagnostics;
  } else if (target.kind === 'environment') {
    if (options.env) throw new UsageError('--env applies to a repository, not to an environment folder');
    const env = await validateEnvironment(source, target.name, { path: '', ...(resolver ? { resolver } : {}) });
    environments = [env];
    diagnostics = env.diagnostics;
  } else {
    const result = await validateRepository(source, { ...(options.env ? { only: options.env } : {}), ...(resolver ? { resolver } : {}) });
    const missing = (options.env ?? []).filter((name) => !result.environments.some((e) => e.name === name));
    if (missing.length > 0) throw new UsageError(`no environment named ${missing.map((m) => `'${m}'`).join(', ')} under ${ENVIRONMENTS_FOLDER}/`);
    environments = result.environments;
    diagnostics = result.diagnostics;
  }

  // Paths as the user would type them, relative to the current folder.
  const prefix = relative(io.cwd, target.root);
  const shown = (file: string): string => (prefix === '' ? file : file === '' ? prefix : `${prefix}/${file}`);
  const all = sortDiagnostics(diagnostics.map((d) => ({ ...d, file: shown(d.file) })));
  const { errors, warnings } = countBySeverity(all);
  const valid = errors === 0 && !(options.strict && warnings > 0);

  if (options.json) {
    // In chunks of whole lines: the JSON of 20,000 accounts is never one 13 MB string. Between two chunks the event
    // loop runs, so that a pipe that was full takes what is queued before more is written. The accounts and units are
    // written from SPA's Python dicts when the settings check kept them (the same text, without the plain objects).
    const chunks = jsonChunks(
      {
        valid,
        diagnostics: all,
        environments: environments.map((e) => ({
          name: e.name,
          path: shown(e.path),
          valid: e.valid && !(options.strict && e.diagnostics.length > 0),
          spaVersion: e.deployment?.spaVersion ?? null,
          ...(e.spaResolved ? { spaResolved: e.spaResolved } : {}),
          effective: e.effective ? (pythonItemsOf(e.effective) ?? { accounts: e.effective.accounts, organizational_units: e.effective.organizational_units }) : null,
        })),
      },
    );
    for (const chunk of chunks) {
      io.out(chunk);
      await new Promise((resolve) => setImmediate(resolve));
    }
  } else {
    for (const d of all) io.out(formatDiagnostic(d));
    io.out(formatSummary(all, environments.length, options.strict === true));
  }
  // A file that could not be read is an I/O error, not a verdict on the settings.
  if (all.some((d) => d.code === 'file-unreadable')) return 2;
  return valid ? 0 : 1;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
