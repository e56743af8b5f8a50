/**
 * The SPA version pin of an environment (product.md section 2): `spa_version` in deployment.yaml, else a literal
 * `CODE_GIT_BRANCH=...` in variables.sh. A pin reaches git and the build's shell, so it must be a valid git ref name
 * (`git check-ref-format`) and plain enough that no shell or command line can take it for code or an option.
 * Whether it names a tag, a branch or nothing is decided by asking the code repository (`checkResolvedPin`).
 */
import { hasErrors, type Diagnostic, type Position } from './diagnostics';
import type { ManifestCheck } from './deployment-manifest';
import { describeCharacter, INVISIBLE_CHARACTER, MANIFEST_CODES, shown, type ManifestCode } from './manifest-codes';
import type { VariablesPinResult } from './variables-script';
import type { ResolvedVersion } from '../../ports/version-resolver';

/**
 * `commit`: 40 hex digits. `tag`: looks like a version (`v1.2.3`, `2.0.0-rc1`); `ambiguous`: any other name
 * (`main`, `release/next`). Only the code repository can say for sure what a name is: see `checkResolvedPin`.
 */
export type PinKind = 'commit' | 'tag' | 'ambiguous';

export interface VersionPin extends Position {
  readonly value: string;
  readonly kind: PinKind;
  readonly source: 'deployment.yaml' | 'variables.sh';
  /** The file the pin was read from (repository-relative). */
  readonly file: string;
}

export interface PinSources {
  /** Path of deployment.yaml, whether it exists or not (a missing pin is reported there). */
  readonly manifestFile: string;
  /** `checkManifest`'s result, or undefined when deployment.yaml does not exist. */
  readonly manifest?: ManifestCheck;
  readonly variablesFile: string;
  /** `readPinFromVariablesScript`'s result, or undefined when variables.sh does not exist. */
  readonly variables?: VariablesPinResult;
}

export interface PinCheck {
  /** Diagnostics about the pin only (the manifest's and variables.sh's own are in their results). */
  readonly diagnostics: Diagnostic[];
  /** The pin, when there is exactly one and it is valid. */
  readonly pin?: VersionPin;
}

export function checkPin(sources: PinSources): PinCheck {
  const diagnostics: Diagnostic[] = [];
  const report = (file: string, at: Position, code: ManifestCode, message: string, hint?: string): void => {
    diagnostics.push({ file, line: at.line, column: at.column, severity: MANIFEST_CODES[code].severity, code, message, ...(hint ? { hint } : {}) });
  };
  const manifest = sources.manifest?.manifest;
  const fromManifest =
    manifest?.spa_version !== undefined
      ? { value: manifest.spa_version, file: sources.manifestFile, source: 'deployment.yaml' as const, ...(manifest.positions.spa_version ?? { line: 1, column: 1 }) }
      : undefined;
  const variablesPin = sources.variables?.pin;
  const fromVariables = variablesPin ? { ...variablesPin, file: sources.variablesFile, source: 'variables.sh' as const } : undefined;

  if (fromManifest && fromVariables && fromManifest.value !== fromVariables.value) {
    report(
      fromManifest.file,
      fromManifest,
      'pin-conflict',
      `spa_version ${shown(fromManifest.value)} disagrees with CODE_GIT_BRANCH ${shown(fromVariables.value)} in ${fromVariables.file} (line ${fromVariables.line})`,
      'set the same version in both files, or remove CODE_GIT_BRANCH from variables.sh',
    );
    report(
      fromVariables.file,
      fromVariables,
      'pin-conflict',
      `CODE_GIT_BRANCH ${shown(fromVariables.value)} disagrees with spa_version ${shown(fromManifest.value)} in ${fromManifest.file} (line ${fromManifest.line})`,
      'set the same version in both files, or remove CODE_GIT_BRANCH from variables.sh',
    );
    for (const candidate of [fromManifest, fromVariables]) {
      const value = checkPinValue(candidate.value);
      if (!value.ok) report(candidate.file, candidate, value.code, `${candidate.source === 'deployment.yaml' ? 'spa_version' : 'CODE_GIT_BRANCH'} ${shown(candidate.value)} ${value.reason}`, value.hint);
    }
    return { diagnostics };
  }

  const chosen = fromManifest ?? fromVariables;
  if (chosen === undefined) {
    const manifestBroken =
      sources.manifest !== undefined && (manifest === undefined ? hasErrors(sources.manifest.diagnostics) : manifest.invalid.includes('spa_version'));
    const variablesBroken = sources.variables !== undefined && hasErrors(sources.variables.diagnostics);
    if (!manifestBroken && !variablesBroken) {
      const file = sources.manifest === undefined && sources.variables !== undefined ? sources.variablesFile : sources.manifestFile;
      report(
        file,
        { line: 1, column: 1 },
        'pin-missing',
        `no SPA version is pinned: ${sources.manifestFile} sets no spa_version and ${sources.variablesFile} sets no CODE_GIT_BRANCH`,
        `add \`spa_version: <SPA tag or full commit id>\` to ${sources.manifestFile}`,
      );
    }
    return { diagnostics };
  }

  const value = checkPinValue(chosen.value);
  if (!value.ok) {
    report(chosen.file, chosen, value.code, `${chosen.source === 'deployment.yaml' ? 'spa_version' : 'CODE_GIT_BRANCH'} ${shown(chosen.value)} ${value.reason}`, value.hint);
    return { diagnostics };
  }
  return { diagnostics, pin: { value: chosen.value, kind: value.kind, source: chosen.source, file: chosen.file, line: chosen.line, column: chosen.column } };
}

export type PinValueCheck =
  | { readonly ok: true; readonly kind: PinKind }
  /** `reason` completes "spa_version 'x' ...". */
  | { readonly ok: false; readonly code: 'pin-invalid-ref' | 'pin-unsafe'; readonly reason: string; readonly hint: string };

const MAX_PIN_LENGTH = 255;
/** Characters a shell gives a meaning to (expansion, quoting, globbing, lists, redirections, comments, history). */
const SHELL_SPECIAL = new Set([...'$`;|&<>\'"()\\*?[]{}~#!', ' ', '\t', '\n', '\r']);
/** What a pin may be made of: enough for every tag, branch and commit name in use, nothing a shell reads. */
const PIN_CHARACTER = /^[A-Za-z0-9._/+@=,-]$/;
const PLAIN_HINT = 'a pin is a SPA tag (v1.2.3) or a full 40-character commit id, made of letters, digits and . _ - / + @';

/** Whether a pin value is safe to hand to git and to a shell, and what it looks like. */
export function checkPinValue(value: string): PinValueCheck {
  const invalid = (reason: string, hint = PLAIN_HINT): PinValueCheck => ({ ok: false, code: 'pin-invalid-ref', reason, hint });
  const unsafe = (reason: string, hint = PLAIN_HINT): PinValueCheck => ({ ok: false, code: 'pin-unsafe', reason, hint });
  if (value.length === 0) return invalid('is empty');
  if (value.length > MAX_PIN_LENGTH) return invalid(`is longer than ${MAX_PIN_LENGTH} characters`);
  if (value.startsWith('-')) return unsafe("starts with '-', so git and other commands would read it as an option");
  if (value.includes('@{')) return invalid("contains '@{', which git forbids in a ref name (it means a reflog entry)");
  if (value.includes('..')) return invalid("contains '..', which git forbids in a ref name (it means a range of commits)");
  for (const ch of value) {
    if (SHELL_SPECIAL.has(ch)) {
      const reason =
        ch === '\r'
          ? `contains ${describeCharacter(ch)}`
          : `contains ${describeCharacter(ch)}, which a shell would interpret (expansion, quoting, globbing, command separation or a comment)`;
      return unsafe(reason, ch === '\r' ? 'convert the file to Unix line endings (LF)' : PLAIN_HINT);
    }
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) return invalid(`contains the control character ${describeCharacter(ch)}, which git forbids in a ref name`);
    if (INVISIBLE_CHARACTER.test(ch)) return unsafe(`contains the invisible character ${describeCharacter(ch)}, which can make a review show another name than the one deployed`);
  }
  if (value === 'HEAD' || value.endsWith('/HEAD')) return invalid("names HEAD, which follows the code repository's default branch", 'pin a tag or a full commit id');
  if (value.startsWith('refs/')) return invalid('is a full ref name', `write the tag name alone (${value.replace(/^refs\/(tags|heads)\//, '')})`);
  const ref = checkRefName(value, { allowOneLevel: true });
  if (!ref.ok) return invalid(ref.reason);
  const odd = [...value].find((ch) => !PIN_CHARACTER.test(ch));
  if (odd !== undefined) return unsafe(`contains ${describeCharacter(odd)}; spa-cd accepts only ASCII letters, digits and . _ - / + @ = , in a pin`);
  return { ok: true, kind: pinKind(value) };
}

const COMMIT = /^[0-9a-fA-F]{40}$/;
const VERSION_LIKE = /^v?\d+(\.\d+)*([-.+].*)?$/;

export function pinKind(value: string): PinKind {
  if (COMMIT.test(value)) return 'commit';
  if (VERSION_LIKE.test(value)) return 'tag';
  return 'ambiguous';
}

export type RefNameCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * `git check-ref-format` (refs.c `check_refname_format`, without `--refspec-pattern` and `--normalize`):
 * no `..`, no ASCII control character, no space ~ ^ : ? * [ \, no empty part (leading, trailing or double `/`),
 * no part starting with `.` or ending with `.lock`, not ending with `.`, no `@{`, not `@` alone.
 * `allowOneLevel` is `--allow-onelevel` (a short name such as `v1.2.3`); without it a name needs two parts.
 * `reason` completes "... 'name' ..." in words.
 */
export function checkRefName(name: string, options: { allowOneLevel?: boolean } = {}): RefNameCheck {
  const fail = (reason: string): RefNameCheck => ({ ok: false, reason });
  if (name === '@') return fail("is '@' alone, which git reserves for HEAD");
  if (name.length === 0) return fail('is empty');
  const components = name.split('/');
  for (const component of components) {
    let last = '';
    for (const ch of component) {
      const code = ch.codePointAt(0) ?? 0;
      if (code < 0x20 || code === 0x7f) return fail(`contains the control character ${describeCharacter(ch)}, which git forbids in a ref name`);
      if (' ~^:?[\\*'.includes(ch)) return fail(`contains ${describeCharacter(ch)}, which git forbids in a ref name`);
      if (ch === '.' && last === '.') return fail("contains '..', which git forbids in a ref name");
      if (ch === '{' && last === '@') return fail("contains '@{', which git forbids in a ref name");
      last = ch;
    }
    if (component.length === 0) {
      if (name.startsWith('/')) return fail("starts with '/'");
      if (name.endsWith('/')) return fail("ends with '/'");
      return fail("contains '//'");
    }
    if (component.startsWith('.')) return fail(`has a part starting with '.' (${shown(component)})`);
    if (component.endsWith('.lock')) return fail(`has a part ending with '.lock' (${shown(component)})`);
  }
  if (name.endsWith('.')) return fail("ends with '.'");
  if (!(options.allowOneLevel ?? false) && components.length < 2) return fail('has only one part (git needs refs/...)');
  return { ok: true };
}

export interface ResolutionContext {
  /** deployment.yaml `allow_floating_version`. */
  readonly allowFloatingVersion: boolean;
  /** The code repository that was asked. */
  readonly codeGitUrl: string;
}

/**
 * What the code repository said about a valid pin: a branch is an error unless `allow_floating_version` (then a
 * warning on every review), a name the repository does not have is an error, anything else is fine. `unresolved`
 * (the repository could not be asked) is not a finding here: the plan shows the version as unresolved.
 */
export function checkResolvedPin(pin: VersionPin, resolved: ResolvedVersion, context: ResolutionContext): Diagnostic[] {
  const at = { file: pin.file, line: pin.line, column: pin.column };
  const label = pin.source === 'deployment.yaml' ? 'spa_version' : 'CODE_GIT_BRANCH';
  switch (resolved.kind) {
    case 'tag':
    case 'commit':
    case 'unresolved':
      return [];
    case 'branch':
      if (context.allowFloatingVersion) {
        return [
          {
            ...at,
            severity: MANIFEST_CODES['pin-floating'].severity,
            code: 'pin-floating',
            message: `floating version: every deploy may take different SPA code (${label} ${shown(pin.value)} is a branch of ${context.codeGitUrl}, now at ${resolved.commit.slice(0, 12)})`,
            hint: 'pin a tag or a full commit id when this environment must be reproducible',
          },
        ];
      }
      return [
        {
          ...at,
          severity: MANIFEST_CODES['pin-floating-not-allowed'].severity,
          code: 'pin-floating-not-allowed',
          message: `${label} ${shown(pin.value)} is a branch of ${context.codeGitUrl}, not a tag: it moves, so every deploy could take different SPA code`,
          hint: `pin a tag or the full commit id (the branch is now at ${resolved.commit}), or set \`allow_floating_version: true\` in deployment.yaml to accept a moving version`,
        },
      ];
    case 'unknown': {
      const abbreviated = /^[0-9a-fA-F]{4,39}$/.test(pin.value);
      return [
        {
          ...at,
          severity: MANIFEST_CODES['pin-unknown'].severity,
          code: 'pin-unknown',
          message: `no tag or branch named ${shown(pin.value)} in ${context.codeGitUrl}`,
          hint: abbreviated
            ? 'an abbreviated commit id cannot be checked: write the full 40-character commit id'
            : `check the spelling and that the tag was pushed (\`git ls-remote --tags ${context.codeGitUrl}\`)`,
        },
      ];
    }
  }
}
