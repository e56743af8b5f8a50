/**
 * The part of CodeBuild's buildspec format the local runner executes: `version`, `env.variables`, and the phases
 * `install`, `pre_build`, `build`, `post_build` with their `commands`, `finally` and `on-failure`. What it does not
 * execute (artifacts, reports, cache, runtime-versions, batch) is ignored, as it means nothing on this machine.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export const PHASE_NAMES = ['install', 'pre_build', 'build', 'post_build'] as const;
export type PhaseName = (typeof PHASE_NAMES)[number];

/** The CodeBuild phase type reported in build events. */
export const PHASE_TYPES: Readonly<Record<PhaseName, string>> = {
  install: 'INSTALL',
  pre_build: 'PRE_BUILD',
  build: 'BUILD',
  post_build: 'POST_BUILD',
};

export interface BuildspecPhase {
  readonly name: PhaseName;
  readonly commands: readonly string[];
  readonly finally: readonly string[];
  readonly onFailure: 'ABORT' | 'CONTINUE';
}

export interface Buildspec {
  readonly path: string;
  readonly variables: Readonly<Record<string, string>>;
  /** In CodeBuild's order; phases absent from the file are left out. */
  readonly phases: readonly BuildspecPhase[];
}

export class BuildspecError extends Error {
  override readonly name = 'BuildspecError';
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function loadBuildspec(path: string): Buildspec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new BuildspecError(`${path}: cannot read the buildspec (${error instanceof Error ? error.message : String(error)})`);
  }
  return parseBuildspec(text, path);
}

export function parseBuildspec(text: string, path: string): Buildspec {
  let value: unknown;
  try {
    value = parse(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new BuildspecError(`${path}: not valid YAML (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
  }
  if (!isRecord(value)) throw new BuildspecError(`${path}: a buildspec is a mapping with version and phases`);
  if (String(value.version) !== '0.2') throw new BuildspecError(`${path}: version must be 0.2 (found ${JSON.stringify(value.version ?? null)})`);
  const env = value.env;
  if (env !== undefined && env !== null && !isRecord(env)) throw new BuildspecError(`${path}: env must be a mapping`);
  const shell = isRecord(env) ? env.shell : undefined;
  if (shell !== undefined && shell !== 'bash') throw new BuildspecError(`${path}: env.shell must be bash in local mode (found ${JSON.stringify(shell)})`);
  const variables: Record<string, string> = {};
  const rawVariables = isRecord(env) ? env.variables : undefined;
  if (rawVariables !== undefined && rawVariables !== null) {
    if (!isRecord(rawVariables)) throw new BuildspecError(`${path}: env.variables must be a mapping of names to values`);
    for (const [name, v] of Object.entries(rawVariables)) {
      if (!VARIABLE_NAME.test(name)) throw new BuildspecError(`${path}: env.variables: '${name}' is not a valid variable name`);
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw new BuildspecError(`${path}: env.variables.${name} must be a string`);
      variables[name] = String(v);
    }
  }
  if (!isRecord(value.phases)) throw new BuildspecError(`${path}: phases must be a mapping (install, pre_build, build, post_build)`);
  const unknown = Object.keys(value.phases).filter((name) => !(PHASE_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new BuildspecError(`${path}: unknown phase ${unknown.join(', ')}: expected ${PHASE_NAMES.join(', ')}`);
  const phases: BuildspecPhase[] = [];
  for (const name of PHASE_NAMES) {
    const raw = value.phases[name];
    if (raw === undefined || raw === null) continue;
    if (!isRecord(raw)) throw new BuildspecError(`${path}: phases.${name} must be a mapping with commands`);
    const onFailure = raw['on-failure'] ?? 'ABORT';
    if (onFailure !== 'ABORT' && onFailure !== 'CONTINUE') throw new BuildspecError(`${path}: phases.${name}.on-failure must be ABORT or CONTINUE`);
    phases.push({ name, commands: commandList(raw.commands, `${path}: phases.${name}.commands`), finally: commandList(raw.finally, `${path}: phases.${name}.finally`), onFailure });
  }
  if (phases.every((p) => p.commands.length === 0)) throw new BuildspecError(`${path}: no phase has commands`);
  return { path, variables, phases };
}

function commandList(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new BuildspecError(`${where} must be a list of commands`);
  return value.map((command, index) => {
    if (typeof command !== 'string') throw new BuildspecError(`${where}[${index}] must be a string`);
    return command;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
