import type { Diagnostic } from './diagnostics';
import type { SourceEntry } from '../../ports/settings-source';

/**
 * The layout of a settings repository (product.md section 2):
 * `environments/<env>/settings.yaml` (required), `deployment.yaml`, `variables.sh`, and anything else under the folder.
 * A change under `environments/<env>/` affects `<env>` only; anything else affects no environment.
 */
export const ENVIRONMENTS_FOLDER = 'environments';
export const SETTINGS_FILE = 'settings.yaml';
export const MANIFEST_FILE = 'deployment.yaml';
export const VARIABLES_FILE = 'variables.sh';

/** Codes of the repository layout checks (documented in docs/diagnostics.md). */
export const REPOSITORY_CODES = {
  'invalid-environment-name': { severity: 'error', summary: 'A folder under environments/ whose name cannot be an environment name.' },
  'settings-missing': { severity: 'error', summary: 'An environment folder without settings.yaml.' },
} as const;

/** Environment names become CodeBuild variables, DynamoDB keys and folder names: keep them plain. */
const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function isValidEnvironmentName(name: string): boolean {
  return ENVIRONMENT_NAME.test(name) && !name.endsWith('.lock') && !name.includes('..');
}

export function environmentPath(name: string): string {
  return `${ENVIRONMENTS_FOLDER}/${name}`;
}

/** The environment a repository path belongs to, or undefined for a path outside `environments/<env>/`. */
export function environmentOfPath(path: string): string | undefined {
  const parts = path.split('/');
  if (parts.length < 3 || parts[0] !== ENVIRONMENTS_FOLDER) return undefined;
  return parts[1];
}

/** Environments touched by a set of changed paths, sorted; `others` are the changed paths outside any environment. */
export function affectedEnvironments(changedPaths: readonly string[]): { environments: string[]; others: string[] } {
  const environments = new Set<string>();
  const others: string[] = [];
  for (const path of changedPaths) {
    const name = environmentOfPath(path);
    if (name === undefined) others.push(path);
    else environments.add(name);
  }
  return { environments: [...environments].sort(), others: others.sort() };
}

/** The error for a folder under `environments/` whose name cannot be an environment, or undefined for a good name. */
export function environmentNameDiagnostic(name: string): Diagnostic | undefined {
  if (isValidEnvironmentName(name)) return undefined;
  return {
    file: environmentPath(name),
    line: 1,
    column: 1,
    severity: 'error',
    code: 'invalid-environment-name',
    message: `'${name}' cannot be an environment name: use letters, digits, '.', '_' and '-' (at most 64, starting with a letter or digit)`,
    hint: 'rename the folder under environments/',
  };
}

/**
 * The environments present in a listing of `environments/`, with a diagnostic for each folder whose name
 * cannot be an environment and each environment without `settings.yaml`.
 */
export function discoverEnvironments(entries: readonly SourceEntry[]): { names: string[]; diagnostics: Diagnostic[] } {
  const files = new Map<string, Set<string>>();
  for (const entry of entries) {
    const name = environmentOfPath(entry.path);
    if (name === undefined) continue;
    const rest = entry.path.slice(ENVIRONMENTS_FOLDER.length + name.length + 2);
    let set = files.get(name);
    if (set === undefined) files.set(name, (set = new Set()));
    set.add(rest);
  }
  const names: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const [name, contents] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const path = environmentPath(name);
    const badName = environmentNameDiagnostic(name);
    if (badName !== undefined) {
      diagnostics.push(badName);
      continue;
    }
    if (!contents.has(SETTINGS_FILE)) {
      diagnostics.push({
        file: `${path}/${SETTINGS_FILE}`,
        line: 1,
        column: 1,
        severity: 'error',
        code: 'settings-missing',
        message: `environment '${name}' has no ${SETTINGS_FILE}; SPA cannot be deployed without it`,
        hint: `add ${path}/${SETTINGS_FILE} or remove the folder`,
      });
    }
    names.push(name);
  }
  return { names, diagnostics };
}
