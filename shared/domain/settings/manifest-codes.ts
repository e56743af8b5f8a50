/**
 * Diagnostic codes of spa-cd's own deployment rules: `deployment.yaml` (the manifest), the SPA version pin and the pin
 * read from `variables.sh`. docs/diagnostics/manifest.md documents each code; a test checks that they agree.
 * Also: how a value from the repository is shown inside a message (bounded, control characters escaped).
 */
import type { CodeInfo } from './settings-codes';

export const MANIFEST_CODES = {
  // deployment.yaml
  'manifest-empty': { severity: 'error', summary: 'deployment.yaml exists but holds no YAML document (or only null).' },
  'manifest-not-a-mapping': { severity: 'error', summary: 'The top level of deployment.yaml is not a mapping of keys to values.' },
  'manifest-unknown-key': { severity: 'error', summary: 'A key of deployment.yaml that spa-cd does not know (often a typo).' },
  'manifest-duplicate-key': { severity: 'error', summary: 'A key appears twice in deployment.yaml, so which value counts is not obvious.' },
  'manifest-wrong-type': { severity: 'error', summary: 'A deployment.yaml field whose value has the wrong YAML type (a string where a boolean is needed, ...).' },
  'manifest-invalid-url': { severity: 'error', summary: 'code_git_url is not a plain https:// git URL without credentials.' },
  // the pin
  'pin-not-a-string': { severity: 'error', summary: 'spa_version is read by YAML as a number, date or boolean instead of a string.' },
  'pin-missing': { severity: 'error', summary: 'The environment pins no SPA version (no spa_version, no CODE_GIT_BRANCH).' },
  'pin-conflict': { severity: 'error', summary: 'deployment.yaml spa_version and variables.sh CODE_GIT_BRANCH name different versions.' },
  'pin-invalid-ref': { severity: 'error', summary: 'The pin is not a valid git tag, branch or commit name (git check-ref-format).' },
  'pin-unsafe': { severity: 'error', summary: 'The pin could act as a command-line option or as shell code (leading -, $, ;, spaces, ...).' },
  'pin-floating-not-allowed': { severity: 'error', summary: 'The pin names a branch, which moves; allow_floating_version is not set.' },
  'pin-floating': { severity: 'warning', summary: 'The pin names a branch and allow_floating_version is true: every deploy may take different SPA code.' },
  'pin-unknown': { severity: 'error', summary: 'The SPA code repository has no tag or branch with the pinned name.' },
  // variables.sh
  'variables-syntax-error': { severity: 'error', summary: 'variables.sh is not valid bash; the build would fail when sourcing it.' },
  'variables-unparsable': { severity: 'error', summary: 'variables.sh is too large or too complex for spa-cd to analyse safely.' },
  'variables-byte-order-mark': { severity: 'error', summary: 'variables.sh starts with a UTF-8 byte-order mark, which bash runs as part of the first command.' },
  'pin-not-literal': { severity: 'error', summary: 'CODE_GIT_BRANCH is set from a variable, a command or another computed value.' },
  'pin-not-top-level': { severity: 'error', summary: 'CODE_GIT_BRANCH is set inside a condition, a function, a list or for one command only.' },
  'pin-reassigned': { severity: 'error', summary: 'variables.sh sets CODE_GIT_BRANCH twice to different values.' },
} as const satisfies Record<string, CodeInfo>;

export type ManifestCode = keyof typeof MANIFEST_CODES;

const MAX_SHOWN = 80;
/** Control characters, invisible format characters and bidi controls. */
const INVISIBLE = '\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff\\ufff9-\\ufffb';
const INVISIBLE_GLOBAL = new RegExp(`[${INVISIBLE}]`, 'g');
/** Matches one control, format or bidi character. */
export const INVISIBLE_CHARACTER = new RegExp(`[${INVISIBLE}]`);

/**
 * A repository value inside a diagnostic message: in single quotes, control, format and bidi characters escaped as
 * `\uXXXX`, cut to 80 characters. Renderers escape again for their medium; this keeps messages readable and bounded.
 */
export function shown(value: string): string {
  const chars = [...value];
  const cut = chars.length > MAX_SHOWN ? `${chars.slice(0, MAX_SHOWN).join('')}…` : value;
  return `'${escapeInvisible(cut)}'`;
}

/** Control, format and bidi characters as `\uXXXX`. */
export function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE_GLOBAL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Name of a control or invisible character for a message: `U+000D (carriage return)`. */
export function describeCharacter(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  const names: Record<number, string> = {
    0x00: 'NUL',
    0x09: 'tab',
    0x0a: 'line feed',
    0x0d: 'carriage return: the file probably has Windows line endings',
    0x20: 'space',
    0x7f: 'delete',
    0xa0: 'no-break space',
    0xfeff: 'byte-order mark',
    0x200b: 'zero-width space',
    0x202e: 'right-to-left override',
  };
  const name = names[cp];
  if (name !== undefined) return `${hex} (${name})`;
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return `${hex} (a control character)`;
  if (INVISIBLE_CHARACTER.test(ch)) return `${hex} (an invisible formatting character)`;
  if (cp > 0x7e) return `${hex} '${ch}'`;
  return `'${ch}'`;
}
