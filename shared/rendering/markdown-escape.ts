/**
 * Escaping for every value that comes from a repository or an event before it reaches a markdown comment.
 *
 * Target renderers: CommonMark with GitHub's extensions (tables, strikethrough, autolinks, @mentions, emoji,
 * math) as the strictest common ground; CodeCommit's own renderer is not documented, so nothing here relies on
 * a feature beyond CommonMark's backslash escapes, entities and code spans.
 *
 * What a hostile value can no longer do once escaped:
 * - open any markdown construct (emphasis, links, images, code, tables, headings, quotes, lists, math);
 * - inject HTML (`<details>`, `<img onerror>`, `</details>` closing ours) or entities;
 * - become a link (`http://`, `www.`, e-mail addresses are broken with a zero-width space) or notify anyone
 *   (`@all`, `@here`, `@team` get a zero-width space after the `@`);
 * - break a line or a table row (line breaks become `⏎`, `|` is escaped);
 * - hide or reorder text (bidi overrides, zero-width and other invisible characters, control characters and
 *   Unicode tag characters are shown as `⟨U+202E⟩`; lone surrogates become `�`).
 */

/**
 * Invisible or reordering characters, shown as `⟨U+XXXX⟩` so a reviewer sees them: C0 controls other than tab and
 * line breaks, DEL, C1 controls, soft hyphen, Arabic letter mark, Hangul and Khmer fillers, Mongolian vowel separator,
 * zero-width characters and bidi marks, embeddings, overrides and isolates, word joiner and invisible operators,
 * BOM, interlinear annotations, and Unicode tag characters (used to smuggle hidden text).
 */
// eslint-disable-next-line no-control-regex, no-misleading-character-class -- matching these characters one by one is the point
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\u00AD\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0\uFFF9-\uFFFB\u{E0000}-\u{E007F}]/gu;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const LINE_BREAK = /\r\n|[\r\n\u0085\u2028\u2029]/g;
/** Shown in place of a line break inside a single-line value. */
export const LINE_BREAK_MARK = '⏎';
const ZERO_WIDTH_SPACE = '\u200B';

/**
 * Characters that can start or end a markdown construct anywhere in a line. `<`, `>` and `&` become entities
 * (HTML and entities are the riskiest and entities are understood by every renderer); the others get a backslash
 * (CommonMark: any ASCII punctuation may be backslash-escaped; GFM: `\|` keeps a pipe inside a table cell).
 */
const INLINE_SPECIAL = /[\\`*_{}[\]()#+!|~$^<>&]/g;
const ENTITIES: Readonly<Record<string, string>> = { '<': '&lt;', '>': '&gt;', '&': '&amp;' };

/**
 * Makes a single-line value safe to be shown verbatim as markdown text, in a paragraph, a list item, a heading
 * or a table cell. Line breaks become `⏎`. With `max`, the sanitized text is first cut to `max` code units
 * (escaping then adds at most a few characters per special character).
 */
export function escapeInline(text: string, max?: number): string {
  let out = prepare(text, max);
  // Autolinks and mentions are recognised in rendered text, after escapes are gone: break them with an invisible space.
  out = out
    .replace(/:\/\//g, `:${ZERO_WIDTH_SPACE}//`)
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}${ZERO_WIDTH_SPACE}.`)
    .replace(/@/g, `@${ZERO_WIDTH_SPACE}`)
    .replace(/\b(mailto|xmpp):/gi, `$1${ZERO_WIDTH_SPACE}:`);
  out = out.replace(INLINE_SPECIAL, (c) => ENTITIES[c] ?? `\\${c}`);
  // Block starts matter only at the start of a line, where a caller may put the value.
  out = out.replace(/^([-=])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
  // Leading spaces would make an indented code block; trailing ones a hard line break: keep them visible as no-break spaces.
  out = out.replace(/^ +| +$/g, (m) => '\u00A0'.repeat(m.length));
  return out;
}

/**
 * A safe inline code span showing `text` verbatim (no escape is processed inside code): the fence is one backtick
 * longer than the longest backtick run, with a space padding when the text starts or ends with a backtick or a space
 * (CommonMark strips exactly one padding space on each side). With `table: true`, `|` is written `\|`, which GFM
 * table parsing turns back into `|` inside the cell (and a backslash before a pipe gets a zero-width space after it).
 */
export function code(text: string, options: { table?: boolean; max?: number } = {}): string {
  let content = prepare(text, options.max);
  // GFM splits a row on every pipe not taken by a backslash pair (`\\|` is an escaped backslash, then a separator):
  // a zero-width space after a backslash that precedes a pipe keeps our `\|` an escaped pipe.
  if (options.table) content = content.replace(/\\(?=\|)/g, `\\${ZERO_WIDTH_SPACE}`).replace(/\|/g, '\\|');
  if (content.length === 0) return '` `';
  let longest = 0;
  for (const run of content.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const allSpaces = /^ +$/.test(content);
  const pad = !allSpaces && (content.startsWith('`') || content.endsWith('`') || (content.startsWith(' ') && content.endsWith(' ')));
  return pad ? `${fence} ${content} ${fence}` : `${fence}${content}${fence}`;
}

/**
 * Cuts `text` to at most `max` UTF-16 code units, ending with `…` when it was cut; never splits a surrogate pair.
 */
export function truncate(text: string, max: number): string {
  const s = String(text);
  if (s.length <= max) return s;
  if (!(max >= 1)) return '';
  let cut = Math.floor(max) - 1;
  if (cut > 0 && isHighSurrogate(s.charCodeAt(cut - 1))) cut -= 1;
  return `${s.slice(0, cut)}…`;
}

/** Cuts `text` to at most `max` UTF-16 code units without an ellipsis and without splitting a surrogate pair. */
export function sliceSafely(text: string, max: number): string {
  if (text.length <= max) return text;
  if (!(max >= 1)) return '';
  let cut = Math.floor(max);
  if (isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
  return text.slice(0, cut);
}

/**
 * Shows invisible and reordering characters as `⟨U+XXXX⟩`, line breaks as `⏎`, tabs as spaces and lone surrogates
 * as `�`. The result is plain text; it still needs `escapeInline` or `code` before reaching markdown.
 */
export function sanitize(text: string): string {
  return text
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(LINE_BREAK, LINE_BREAK_MARK)
    .replace(/\t/g, ' ')
    .replace(INVISIBLE, (c) => `⟨U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

function prepare(text: string, max: number | undefined): string {
  const clean = sanitize(String(text));
  return max === undefined ? clean : truncate(clean, max);
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}
