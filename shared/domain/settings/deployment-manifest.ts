/**
 * `environments/<env>/deployment.yaml`: how spa-cd deploys one environment (product.md section 2).
 * Loaded as PyYAML would load it (YAML 1.1: `yes` is a boolean, `1.10` a float), then checked field by field.
 * Never throws; every problem is a diagnostic with the line and column of the key or value concerned.
 */
import { editDistance } from '../../support/edit-distance';
import type { Diagnostic, Position } from './diagnostics';
import { describeCharacter, INVISIBLE_CHARACTER, MANIFEST_CODES, shown, type ManifestCode } from './manifest-codes';
import { loadYaml, scalarPyType, type PyScalarType } from './yaml-loader';
import type { YamlNode, YamlScalarNode } from './yaml-node';

export { MANIFEST_CODES } from './manifest-codes';

/** The public SPA repository: where SPA comes from when deployment.yaml names no code_git_url. */
export const DEFAULT_CODE_GIT_URL = 'https://github.com/reply-fr/sustainable-personal-accounts.git';

export const MANIFEST_KEYS = ['spa_version', 'code_git_url', 'auto_deploy', 'frozen', 'allow_floating_version'] as const;
export type ManifestKey = (typeof MANIFEST_KEYS)[number];

export interface DeploymentManifest {
  /** The SPA version pin when deployment.yaml sets one (a string; whether it is a valid pin is `checkPin`'s job). */
  readonly spa_version?: string;
  readonly code_git_url: string;
  readonly auto_deploy: boolean;
  readonly frozen: boolean;
  readonly allow_floating_version: boolean;
  /** Line and column of the value of each key present in the file. */
  readonly positions: Record<string, Position>;
  /**
   * Keys present with a rejected value (each has an error diagnostic). Their field holds the safe fallback:
   * `frozen` true, `auto_deploy` false, `allow_floating_version` false, `code_git_url` the default, no `spa_version`.
   * Never deploy from a manifest whose check reported errors.
   */
  readonly invalid: readonly ManifestKey[];
}

export interface ManifestCheck {
  readonly diagnostics: Diagnostic[];
  /** Present whenever the file's top level is a mapping (even with errors in some fields: see `invalid`). */
  readonly manifest?: DeploymentManifest;
}

/** Where code_git_url may point. Production keeps the defaults: https only, public hosts only. */
export interface CodeGitUrlPolicy {
  /** Hosts that may be reached over plain http and may be local (tests, local mode): e.g. `127.0.0.1`, `localhost`. */
  readonly insecureHosts?: readonly string[];
  /** Accept `file:///absolute/path` (local mode with an offline copy of SPA). */
  readonly allowFileUrls?: boolean;
}

export interface ManifestOptions {
  /** The code repository when the manifest names none (the controller's configuration may override the public one). */
  readonly defaultCodeGitUrl?: string;
  readonly urlPolicy?: CodeGitUrlPolicy;
}

/** The manifest of an environment without deployment.yaml: every default, no pin. */
export function defaultManifest(options: ManifestOptions = {}): DeploymentManifest {
  return {
    code_git_url: options.defaultCodeGitUrl ?? DEFAULT_CODE_GIT_URL,
    auto_deploy: true,
    frozen: false,
    allow_floating_version: false,
    positions: {},
    invalid: [],
  };
}

export function checkManifest(file: string, text: string, options: ManifestOptions = {}): ManifestCheck {
  try {
    return check(file, text, options);
  } catch (error) {
    // defensive: a bug here must not take a review down with it
    return {
      diagnostics: [
        {
          file,
          line: 1,
          column: 1,
          severity: 'error',
          code: 'manifest-not-a-mapping',
          message: `${file} could not be checked: ${error instanceof Error ? error.message : String(error)}`,
          hint: 'report this to the spa-cd maintainers with the file attached',
        },
      ],
    };
  }
}

function check(file: string, text: string, options: ManifestOptions): ManifestCheck {
  const loaded = loadYaml(file, text);
  // a repeated key is an error here (reported below), not the loader's warning about what SPA keeps
  const diagnostics: Diagnostic[] = loaded.diagnostics.filter((d) => d.code !== 'yaml-duplicate-key');
  const root = loaded.root;
  if (root === undefined) return { diagnostics };
  const report = (at: Position, code: ManifestCode, message: string, hint?: string): void => {
    diagnostics.push({ file, line: at.line, column: at.column, severity: MANIFEST_CODES[code].severity, code, message, ...(hint ? { hint } : {}) });
  };
  if (root.kind === 'scalar' && root.value === null) {
    report(root, 'manifest-empty', `${file} is empty: it holds no settings`, 'add at least `spa_version: <SPA tag>`, or delete the file to use the defaults and CODE_GIT_BRANCH from variables.sh');
    return { diagnostics };
  }
  if (root.kind !== 'mapping') {
    report(root, 'manifest-not-a-mapping', `${file} must be a mapping of keys to values, but its top level is ${describeNode(root).type}`, `write one key per line, for example \`spa_version: v1.2.3\``);
    return { diagnostics };
  }

  const defaults = defaultManifest(options);
  const fields: {
    spa_version?: string;
    code_git_url: string;
    auto_deploy: boolean;
    frozen: boolean;
    allow_floating_version: boolean;
  } = { code_git_url: defaults.code_git_url, auto_deploy: true, frozen: false, allow_floating_version: false };
  const positions: Record<string, Position> = {};
  const invalid = new Set<ManifestKey>();
  const seen = new Map<string, Position>();

  for (const { key, value } of root.entries) {
    const name = key.kind === 'scalar' && typeof key.value === 'string' ? key.value : undefined;
    if (name === undefined || !isManifestKey(name)) {
      const described = describeNode(key);
      const shownKey = name === undefined ? `${key.kind === 'scalar' ? `${shown(described.text)} (${described.type})` : described.type}` : shown(name);
      const suggestion = name === undefined ? undefined : didYouMean(name);
      report(
        key,
        'manifest-unknown-key',
        `unknown key ${shownKey} in ${file}; spa-cd knows ${MANIFEST_KEYS.join(', ')}`,
        suggestion ? `did you mean \`${suggestion}\`?` : 'remove the key, or fix its name',
      );
      continue;
    }
    const first = seen.get(name);
    if (first !== undefined) {
      report(key, 'manifest-duplicate-key', `${name} appears twice in ${file} (first at line ${first.line})`, 'keep only one of them');
      invalid.add(name);
    } else seen.set(name, { line: key.line, column: key.column });
    positions[name] = { line: value.line, column: value.column };
    const node = describeNode(value);

    if (name === 'spa_version') {
      if (node.pyType === 'str' && value.kind === 'scalar' && typeof value.value === 'string') {
        fields.spa_version = value.value;
        continue;
      }
      invalid.add(name);
      delete fields.spa_version;
      if (node.pyType === 'NoneType') {
        report(value, 'pin-not-a-string', `spa_version has no value in ${file}`, 'write the SPA tag or full commit id (`spa_version: v1.2.3`), or remove the line');
      } else if (value.kind === 'scalar') {
        report(
          value,
          'pin-not-a-string',
          `spa_version ${node.text} is read by YAML as ${node.type}, not as the string ${shown(node.text)}`,
          `quote it: \`spa_version: '${node.text.replace(/'/g, "''")}'\``,
        );
      } else {
        report(value, 'pin-not-a-string', `spa_version must be a string (a SPA tag or commit), not ${node.type}`, 'write `spa_version: v1.2.3`');
      }
      continue;
    }

    if (name === 'code_git_url') {
      if (node.pyType !== 'str' || value.kind !== 'scalar' || typeof value.value !== 'string') {
        invalid.add(name);
        fields.code_git_url = defaults.code_git_url;
        report(value, 'manifest-wrong-type', `code_git_url must be a string (an https:// git URL), not ${node.type}`, `write \`code_git_url: ${DEFAULT_CODE_GIT_URL}\``);
        continue;
      }
      const url = checkCodeGitUrl(value.value, options.urlPolicy);
      if (url.ok) fields.code_git_url = value.value;
      else {
        invalid.add(name);
        fields.code_git_url = defaults.code_git_url;
        report(value, 'manifest-invalid-url', `code_git_url ${shown(value.value)} ${url.reason}`, url.hint);
      }
      continue;
    }

    // the three booleans
    if (node.pyType === 'bool' && value.kind === 'scalar' && typeof value.value === 'boolean') {
      fields[name] = value.value;
      continue;
    }
    invalid.add(name);
    fields[name] = name === 'frozen'; // safe fallback: frozen, no auto deploy, no floating version
    const looksBoolean = node.pyType === 'str' && /^(true|false|yes|no|on|off)$/i.test(node.text);
    report(
      value,
      'manifest-wrong-type',
      `${name} must be a boolean (true or false), not ${node.type}${node.pyType === 'NoneType' ? '' : ` (${shown(node.text)})`}`,
      looksBoolean ? `write it without quotes: \`${name}: ${node.text.toLowerCase()}\`` : `write \`${name}: true\` or \`${name}: false\``,
    );
  }

  return {
    diagnostics,
    manifest: { ...fields, positions, invalid: MANIFEST_KEYS.filter((k) => invalid.has(k)) },
  };
}

function isManifestKey(name: string): name is ManifestKey {
  return (MANIFEST_KEYS as readonly string[]).includes(name);
}

/** Names people write for the manifest's keys, and near misses. */
const ALIASES: Record<string, ManifestKey> = {
  version: 'spa_version',
  spa_tag: 'spa_version',
  tag: 'spa_version',
  code_git_branch: 'spa_version',
  git_branch: 'spa_version',
  branch: 'spa_version',
  git_url: 'code_git_url',
  code_git_repo: 'code_git_url',
  code_git_repository: 'code_git_url',
  code_url: 'code_git_url',
  git_repository: 'code_git_url',
  url: 'code_git_url',
  repository: 'code_git_url',
  repo: 'code_git_url',
  spa_url: 'code_git_url',
  freeze: 'frozen',
  allow_floating: 'allow_floating_version',
  allow_branch: 'allow_floating_version',
  autodeploy: 'auto_deploy',
};

/** The known key a misspelt one most likely means, if any. */
export function didYouMean(name: string): ManifestKey | undefined {
  const snake = name.trim().replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/[-\s.]+/g, '_');
  if (isManifestKey(snake)) return snake;
  const alias = ALIASES[snake];
  if (alias !== undefined) return alias;
  const compact = snake.replace(/_/g, '');
  const sameLetters = MANIFEST_KEYS.find((key) => key.replace(/_/g, '') === compact);
  if (sameLetters !== undefined) return sameLetters;
  let best: ManifestKey | undefined;
  let bestDistance = Infinity;
  for (const key of MANIFEST_KEYS) {
    const distance = editDistance(snake, key, 3);
    if (distance < bestDistance) {
      best = key;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.min(3, Math.max(1, Math.floor(snake.length / 4))) ? best : undefined;
}


interface NodeDescription {
  /** `a string`, `a float`, `a boolean`, `null (no value)`, `a list`, ... */
  readonly type: string;
  readonly pyType: PyScalarType | 'list' | 'dict';
  /** The scalar as written when the loader kept it, else a rendering of its value. */
  readonly text: string;
}

const TYPE_NAMES: Record<PyScalarType | 'list' | 'dict', string> = {
  NoneType: 'null (no value)',
  bool: 'a boolean',
  int: 'an integer',
  float: 'a float',
  str: 'a string',
  date: 'a date',
  datetime: 'a date and time',
  bytes: 'binary data',
  list: 'a list',
  dict: 'a mapping',
};

function describeNode(node: YamlNode): NodeDescription {
  if (node.kind === 'sequence') return { type: TYPE_NAMES.list, pyType: 'list', text: '[...]' };
  if (node.kind === 'mapping') return { type: TYPE_NAMES.dict, pyType: 'dict', text: '{...}' };
  const pyType = scalarPyType(node);
  const written = (node as Partial<{ text: string | undefined }>).text;
  const text = typeof written === 'string' ? written : typeof node.value === 'string' ? node.value : scalarText(node);
  return { type: TYPE_NAMES[pyType], pyType, text };
}


function scalarText(node: YamlScalarNode): string {
  const value = node.value;
  if (value === null) return 'null';
  if (typeof value === 'object' && 'text' in value && typeof value.text === 'string') return value.text;
  if (typeof value === 'object' && 'base64' in value && typeof value.base64 === 'string') return value.base64;
  return String(value);
}

// ---- code_git_url ---------------------------------------------------------------------------------------------------

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string; hint: string };

const MAX_URL_LENGTH = 2048;
const HTTPS_HINT = `use a plain https URL such as ${DEFAULT_CODE_GIT_URL}`;

/**
 * Whether `value` may be handed to git (and to a build) as the SPA code repository: `https://host/path` (or the
 * policy's exceptions), no credentials, no whitespace or control characters, no option or remote-helper tricks
 * (`-u...`, `ext::sh -c ...`), no query or fragment, no local or private address. `reason` completes
 * "code_git_url '...' ...".
 */
export function checkCodeGitUrl(value: string, policy: CodeGitUrlPolicy = {}): UrlCheck {
  const fail = (reason: string, hint: string = HTTPS_HINT): UrlCheck => ({ ok: false, reason, hint });
  if (value.length === 0) return fail('is empty');
  if (value.length > MAX_URL_LENGTH) return fail(`is longer than ${MAX_URL_LENGTH} characters`);
  const bad = [...value].find((ch) => /\s/.test(ch) || INVISIBLE_CHARACTER.test(ch));
  if (bad !== undefined) return fail(`contains ${describeCharacter(bad)}`, 'remove the whitespace or invisible character');
  if (value.startsWith('-')) return fail('starts with "-", so git would read it as an option');
  const helper = /^([A-Za-z0-9][A-Za-z0-9+.-]*)::/.exec(value);
  if (helper) return fail(`uses git's remote-helper syntax '${helper[1]}::', which can run commands or reach other transports`);
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(value)?.[1];
  if (scheme === undefined) {
    if (/^[^/:]+@[^/:]+:/.test(value)) return fail('is an SSH address (user@host:path); spa-cd and the build fetch SPA over https');
    return fail('is not an https:// URL');
  }
  const insecure = new Set((policy.insecureHosts ?? []).map((h) => h.toLowerCase()));
  if (scheme === 'file') {
    if (!policy.allowFileUrls) return fail('is a file:// URL; the build fetches SPA over https');
    return checkFileUrl(value, fail);
  }
  if (scheme !== 'https' && scheme !== 'http') return fail(`uses the scheme '${scheme}:'; only https:// is accepted`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail('is not a valid URL');
  }
  const authority = value.slice(scheme.length + 3).split('/')[0] ?? '';
  if (url.username !== '' || url.password !== '' || authority.includes('@')) {
    return fail('contains credentials (user@ or user:password@)', 'remove them: never put secrets in the settings repository; spa-cd reads public repositories');
  }
  if (value.includes('?') || value.includes('#')) return fail('has a query or a fragment (? or #), which a git URL never has');
  const host = url.hostname.toLowerCase();
  if (host === '') return fail('has no host');
  if (scheme === 'http' && !insecure.has(host)) return fail('uses plain http; only https:// is accepted');
  if (!insecure.has(host) && isLocalOrPrivateHost(host)) {
    return fail(`points at a local or private address (${host}); spa-cd only reads public code repositories`);
  }
  const path = value.slice(scheme.length + 3 + authority.length);
  const pathProblem = checkUrlPath(path);
  if (pathProblem) return fail(pathProblem);
  return { ok: true, url };
}

function checkFileUrl(value: string, fail: (reason: string, hint?: string) => UrlCheck): UrlCheck {
  if (!value.startsWith('file:///')) return fail('must be file:///absolute/path (no host)', 'write file:///path/to/repository');
  if (value.includes('?') || value.includes('#')) return fail('has a query or a fragment (? or #), which a git URL never has');
  const problem = checkUrlPath(value.slice('file://'.length));
  if (problem) return fail(problem, 'write file:///path/to/repository');
  try {
    return { ok: true, url: new URL(value) };
  } catch {
    return fail('is not a valid URL', 'write file:///path/to/repository');
  }
}

function checkUrlPath(path: string): string | undefined {
  if (path === '' || path === '/') return 'names no repository (the path is empty)';
  const odd = [...path].find((ch) => !/[A-Za-z0-9._~+/-]/.test(ch));
  if (odd !== undefined) return `contains ${describeCharacter(odd)} in its path; spa-cd accepts letters, digits and . _ ~ + - / there`;
  if (path.split('/').some((segment) => segment === '.' || segment === '..')) return "contains '.' or '..' path segments";
  return undefined;
}

/** `localhost`, and IP literals of loopback, private, link-local, shared, unspecified or multicast ranges. */
export function isLocalOrPrivateHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      a >= 224
    );
  }
  if (h.startsWith('[')) {
    const v6 = h.slice(1, -1);
    return v6 === '::' || v6 === '::1' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || v6.startsWith('::ffff:') || v6.startsWith('ff');
  }
  return false;
}
