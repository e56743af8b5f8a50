/**
 * Variables across files: the names the settings pass to preparation and purge (defaults, organizational units,
 * accounts, CSV `Preparation:`/`Purge:` columns, all merged in the effective settings) against the names the
 * environment's template for that work reads. A name set but read by no template, and a name read but set nowhere,
 * are warnings, with a "did you mean" when another name is close. Also places a settings variable in its file
 * (settings.yaml or a CSV header) for the warning. Never throws.
 */
import type { Diagnostic, Position } from '../settings/diagnostics';
import { pythonItemsOf, type EffectiveItem, type EffectiveSettings } from '../settings/effective-settings';
import { PyDict, pyStr } from '../settings/python-values';
import { shown } from '../settings/manifest-codes';
import { isMapping, type SettingsValue } from '../settings/settings-value';
import { BUILD_FILES_CODES } from './codes';
import { closest } from './suggest';

export type WorkerKind = 'preparation' | 'purge';

/**
 * What SPA's worker passes to every build besides the settings' variables: reply-fr/sustainable-personal-accounts,
 * lambdas/worker.py, `Worker.get_preparation_variables` (BUDGET_AMOUNT, BUDGET_EMAIL, ENVIRONMENT_IDENTIFIER,
 * EVENT_BUS_ARN, TOPIC_ARN) and `Worker.get_purge_variables` (ENVIRONMENT_IDENTIFIER, EVENT_BUS_ARN). The settings'
 * variables override them (`variables.update(...)`).
 */
export const SPA_PROVIDED_VARIABLES: Readonly<Record<WorkerKind, readonly string[]>> = {
  preparation: ['BUDGET_AMOUNT', 'BUDGET_EMAIL', 'ENVIRONMENT_IDENTIFIER', 'EVENT_BUS_ARN', 'TOPIC_ARN'],
  purge: ['ENVIRONMENT_IDENTIFIER', 'EVENT_BUS_ARN'],
};

/**
 * Set in every CodeBuild build without anyone asking: CodeBuild's own variables (CodeBuild user guide,
 * build-env-ref-env-vars: every CODEBUILD_* name, AWS_DEFAULT_REGION, AWS_REGION, HOME, ...), the AWS credentials
 * the container exposes (AWS_*), and what bash and the standard images set.
 */
const PROVIDED_PREFIXES = ['CODEBUILD_', 'AWS_', 'BASH', 'LC_'];
const PROVIDED_NAMES = new Set([
  'HOME', 'PATH', 'PWD', 'OLDPWD', 'USER', 'LOGNAME', 'SHELL', 'HOSTNAME', 'LANG', 'LANGUAGE', 'TERM', 'TMPDIR', 'TZ',
  'RANDOM', 'SRANDOM', 'SECONDS', 'EPOCHSECONDS', 'EPOCHREALTIME', 'LINENO', 'IFS', 'PPID', 'UID', 'EUID', 'GROUPS',
  'OSTYPE', 'HOSTTYPE', 'MACHTYPE', 'PIPESTATUS', 'FUNCNAME', 'REPLY', 'OPTARG', 'OPTIND', 'OPTERR', 'SHLVL',
  'SHELLOPTS', 'HISTFILE', 'PS1', 'PS2', 'PS4', 'COLUMNS', 'LINES', 'DEBIAN_FRONTEND', 'JAVA_HOME', 'GOPATH', 'GOROOT',
  'CI',
]);

export function providedByBuild(name: string, kind: WorkerKind): boolean {
  return PROVIDED_NAMES.has(name) || PROVIDED_PREFIXES.some((p) => name.startsWith(p)) || SPA_PROVIDED_VARIABLES[kind].includes(name);
}

/** Names the settings pass to `kind`, with how many accounts and units get each (defaults alone count once). */
export function settingsVariables(effective: EffectiveSettings, kind: WorkerKind): Map<string, number> {
  const names = new Map<string, number>();
  const python = pythonItemsOf(effective);
  if (python !== undefined) {
    // the same names from SPA's dicts, without making the plain objects of every account (the keys of a plain object
    // are str(key), each once)
    const seen = new Set<string>();
    for (const items of [python.accounts, python.organizational_units]) {
      for (const item of items.entries) {
        const work = item.value instanceof PyDict ? item.value.get(kind) : undefined;
        const variables = work instanceof PyDict ? work.get('variables') : undefined;
        if (!(variables instanceof PyDict)) continue;
        seen.clear();
        for (const entry of variables.entries) seen.add(typeof entry.key === 'string' ? entry.key : pyStr(entry.key));
        for (const name of seen) names.set(name, (names.get(name) ?? 0) + 1);
      }
    }
    addDefaults(names, effective, kind);
    return names;
  }
  const add = (variables: SettingsValue | undefined): void => {
    if (!isMapping(variables)) return;
    for (const name of Object.keys(variables)) names.set(name, (names.get(name) ?? 0) + 1);
  };
  const itemVariables = (item: EffectiveItem | undefined): SettingsValue | undefined => {
    const work = item?.[kind] as SettingsValue | undefined;
    return isMapping(work) ? work.variables : undefined;
  };
  for (const item of Object.values(effective.accounts)) add(itemVariables(item));
  for (const item of Object.values(effective.organizational_units)) add(itemVariables(item));
  addDefaults(names, effective, kind);
  return names;
}

/** A name set in defaults.<kind>.variables and by no account or unit counts 0. */
function addDefaults(names: Map<string, number>, effective: EffectiveSettings, kind: WorkerKind): void {
  const defaults = effective.attributes.defaults;
  if (isMapping(defaults)) {
    const work = defaults[kind];
    if (isMapping(work)) {
      for (const name of isMapping(work.variables) ? Object.keys(work.variables) : []) if (!names.has(name)) names.set(name, 0);
    }
  }
}

export interface TemplateUsage {
  readonly file: string;
  /** Each name the template expands, at its first place. */
  readonly reads: ReadonlyMap<string, Position>;
  /** Names under env.variables, env.parameter-store, env.secrets-manager. */
  readonly declared: ReadonlySet<string>;
  /** Names its commands assign (`NAME=`, `read NAME`, `for NAME in`, ...) or scripts it sources assign. */
  readonly assigned: ReadonlySet<string>;
  /** A command that uses every variable (`env`, `printenv`, `envsubst`): nothing is unused then. */
  readonly readsEverything: boolean;
}

export interface VariablesUsageInput {
  readonly kind: WorkerKind;
  readonly template: TemplateUsage;
  /** Names the settings pass to this kind, with the number of items that get each. */
  readonly set: ReadonlyMap<string, number>;
  /** Whether the environment's scripts read a name (a template may run them): such a name is never reported as unused. */
  readonly readByScripts: (name: string) => boolean;
  /** Where the settings set a name (settings.yaml or a CSV header). */
  readonly locate: (name: string) => Promise<{ file: string; line: number; column: number }>;
}

const MAX_PER_KIND = 50;

export async function checkVariablesUsage(input: VariablesUsageInput): Promise<Diagnostic[]> {
  const { kind, template, set } = input;
  const diagnostics: Diagnostic[] = [];
  const readNames = new Set([...template.reads.keys(), ...template.declared]);

  if (!template.readsEverything) {
    const unused = [...set.keys()].filter((name) => !readNames.has(name) && !input.readByScripts(name)).sort();
    const unreadCandidates = [...template.reads.keys()].filter((name) => !set.has(name));
    for (const name of unused.slice(0, MAX_PER_KIND)) {
      const at = await input.locate(name);
      const count = set.get(name) ?? 0;
      const suggestion = closest(name, unreadCandidates) ?? closest(name, [...readNames]);
      diagnostics.push({
        ...at,
        severity: BUILD_FILES_CODES['variable-set-but-unused'].severity,
        code: 'variable-set-but-unused',
        message: `${kind}.variables sets ${shown(name)}${count > 0 ? ` (for ${count} account${count === 1 ? '' : 's'} or unit${count === 1 ? '' : 's'})` : ' in defaults'}, but ${template.file}, the ${kind} template, never reads it`,
        hint: suggestion ? `did you mean ${suggestion}? (the template reads $${suggestion})` : `remove it, or use it in the template as $${name}`,
      });
    }
  }

  const settable = new Set([...set.keys(), ...template.declared, ...template.assigned, ...SPA_PROVIDED_VARIABLES[kind]]);
  let reported = 0;
  for (const [name, at] of [...template.reads].sort((a, b) => a[1].line - b[1].line || a[1].column - b[1].column)) {
    if (settable.has(name) || providedByBuild(name, kind)) continue;
    if (reported >= MAX_PER_KIND) break;
    reported += 1;
    const suggestion = closest(name, settable);
    diagnostics.push({
      file: template.file,
      line: at.line,
      column: at.column,
      severity: BUILD_FILES_CODES['variable-read-but-unset'].severity,
      code: 'variable-read-but-unset',
      message: `the ${kind} template reads $${name}, but nothing sets it: not the settings (${kind}.variables), not the template (env.variables or a command), not SPA nor CodeBuild; bash expands it to an empty string`,
      hint: suggestion ? `did you mean ${suggestion}?` : `set it under defaults.${kind}.variables in the settings, or give it a default under env.variables`,
    });
  }
  return diagnostics;
}

/**
 * Where `name` is set for `kind` in settings.yaml: the first key `name` inside a `variables:` mapping inside a
 * `preparation:` (or `purge:`) mapping, by indentation; else the first line that writes `name:`. Block-style YAML is
 * what settings files use; a flow mapping falls back to the line search.
 */
export function locateInSettings(text: string, kind: WorkerKind, name: string): (Position & { exact: boolean }) | undefined {
  const lines = text.split(/\r\n|\r|\n/);
  const stack: { indent: number; key: string }[] = [];
  let fallback: Position | undefined;
  const keyPattern = /^((?:[ \t]*-[ \t]+)*[ \t]*)(['"]?)([^'"#:{}[\],]+?)\2[ \t]*:(?:[ \t]|$)/;
  for (let l = 0; l < lines.length; l += 1) {
    const line = lines[l] ?? '';
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const match = keyPattern.exec(line);
    if (!match) continue;
    const indent = (match[1] ?? '').length;
    const key = (match[3] ?? '').trim();
    while (stack.length > 0 && (stack[stack.length - 1]?.indent ?? 0) >= indent) stack.pop();
    const column = [...line.slice(0, indent)].length + 1;
    if (key === name) {
      const parent = stack[stack.length - 1]?.key;
      const grandParent = stack[stack.length - 2]?.key;
      if (parent === 'variables' && grandParent === kind) return { line: l + 1, column, exact: true };
      fallback ??= { line: l + 1, column };
    }
    stack.push({ indent, key });
  }
  if (fallback) return { ...fallback, exact: false };
  const word = new RegExp(`(^|[\\s{,'"])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]?\\s*:`);
  for (let l = 0; l < lines.length; l += 1) {
    const match = word.exec(lines[l] ?? '');
    if (match) return { line: l + 1, column: [...(lines[l] ?? '').slice(0, match.index + (match[1] ?? '').length)].length + 1, exact: false };
  }
  return undefined;
}

/** Where a CSV file's header has a `Preparation: name` (or `Purge: name`) column. */
export function locateInCsvHeader(text: string, kind: WorkerKind, name: string): Position | undefined {
  const header = text.split(/\r\n|\r|\n/, 1)[0] ?? '';
  const label = kind === 'preparation' ? 'Preparation' : 'Purge';
  let offset = 0;
  for (const cell of header.split(',')) {
    const unquoted = cell.trim().replace(/^"(.*)"$/, '$1');
    const colon = unquoted.indexOf(':');
    if (colon >= 0 && unquoted.slice(0, colon).trim() === label && unquoted.slice(colon + 1).trim() === name) {
      const lead = cell.length - cell.trimStart().length;
      return { line: 1, column: [...header.slice(0, offset + lead)].length + 1 };
    }
    offset += cell.length + 1;
  }
  return undefined;
}
