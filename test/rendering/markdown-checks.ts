/**
 * Checks of rendered markdown that do not need a markdown library: what remains outside code spans,
 * which lines may start a block, and whether tables and details are well formed.
 */

/** The text outside code spans (CommonMark: a backtick run closes only on a run of the same length; `\`` opens nothing). */
export function outsideCode(markdown: string): string {
  let out = '';
  let i = 0;
  while (i < markdown.length) {
    const c = markdown[i];
    if (c === '\\') {
      out += markdown.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c !== '`') {
      out += c;
      i += 1;
      continue;
    }
    let n = 0;
    while (markdown[i + n] === '`') n += 1;
    const closer = findRun(markdown, i + n, n);
    if (closer < 0) {
      out += markdown.slice(i, i + n);
      i += n;
    } else {
      out += ' ';
      i = closer + n;
    }
  }
  return out;
}

function findRun(text: string, from: number, n: number): number {
  let i = from;
  while (i < text.length) {
    if (text[i] !== '`') {
      i += 1;
      continue;
    }
    let m = 0;
    while (text[i + m] === '`') m += 1;
    if (m === n) return i;
    i += m;
  }
  return -1;
}

/** How every line of a summary may start: anything else means a value escaped its place. */
const LINE_STARTS = [
  /^$/,
  /^<!-- spa-cd:summary -->$/,
  /^## /,
  /^### [✅❌] `/,
  /^[✅❌] \*\*/,
  /^Pull request `/,
  /^Reviewed commit `/,
  /^Approval: \*\*/,
  /^Compared `/,
  /^Changes outside `environments\/`/,
  /^- /,
  /^Folder `/,
  /^\*\*(Attributes|Accounts|Organizational units)/,
  /^\| /,
  /^\|---/,
  /^<details><summary>Changes: [\w ,]+<\/summary>$/,
  /^<\/details>$/,
  /^✂ truncated/,
  /^⚠ spa-cd could not render/,
];

/** Lines that start in a way the renderer never writes (the first line must be the marker). */
export function unexpectedLines(markdown: string): string[] {
  const lines = markdown.split('\n');
  const bad = lines.filter((line) => !LINE_STARTS.some((re) => re.test(line)));
  if (lines[0] !== '<!-- spa-cd:summary -->') bad.unshift(`first line: ${lines[0] ?? ''}`);
  return bad;
}

/** Unescaped pipes of a table line (GFM splits cells on them, even inside code spans). */
export function cellSeparators(line: string): number {
  let n = 0;
  for (let i = 0; i < line.length; i += 1) {
    if (line[i] === '\\') i += 1;
    else if (line[i] === '|') n += 1;
  }
  return n;
}

/** Table rows whose cell count differs from their delimiter row. */
export function brokenTableRows(markdown: string): string[] {
  const broken: string[] = [];
  let expected: number | undefined;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      expected = undefined;
      continue;
    }
    if (/^\|(---\|)+$/.test(line)) {
      expected = cellSeparators(line);
      continue;
    }
    if (expected !== undefined && cellSeparators(line) !== expected) broken.push(line);
  }
  return broken;
}

export function count(text: string, fragment: string): number {
  return text.split(fragment).length - 1;
}
