/**
 * Where a character of a YAML string value sits in its file. The YAML loader gives the position of a scalar's first
 * character only (for a block scalar, its `|` or `>` indicator); a command written as a multi-line block needs the
 * line inside the block. Pure functions over the source text; never throws.
 */
import type { Position } from '../settings/diagnostics';

export type PositionInValue = (index: number) => Position;

/** Lines of a text, without their line breaks (`\r\n`, `\r` and `\n`, as YAML reads them). */
export function sourceLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/**
 * Maps an index in `value` (a scalar's string value) to a line and column of the file, for a scalar that starts at
 * `start` (1-based). Literal blocks (`|`) are exact; one-line plain and quoted scalars are exact unless escapes come
 * before the index; folded blocks and multi-line flow scalars are found by their text, else the scalar's start.
 */
export function positionInScalar(lines: readonly string[], start: Position, value: string): PositionInValue {
  const first = lines[start.line - 1] ?? '';
  const indicator = [...first][start.column - 1];
  if (indicator === '|') return literalBlock(lines, start, value);
  if (indicator !== '>' && !value.includes('\n')) {
    const chars = [...first];
    const quoted = indicator === '"' || indicator === "'" ? 1 : 0;
    const written = chars.slice(start.column - 1 + quoted, start.column - 1 + quoted + [...value].length).join('');
    if (written === value || quoted === 1) {
      return (index) => ({ line: start.line, column: start.column + quoted + [...value.slice(0, clamp(index, value))].length });
    }
  }
  return bySearch(lines, start, value);
}

function clamp(index: number, value: string): number {
  return Math.max(0, Math.min(Number.isFinite(index) ? Math.floor(index) : 0, value.length));
}

/**
 * `|` block: value line k is source line start.line + 1 + k; a literal block keeps each line's text as written after
 * its indentation, so the column comes from aligning the value line with the end of the source line.
 */
function literalBlock(lines: readonly string[], start: Position, value: string): PositionInValue {
  const valueLines = value.split('\n');
  return (index) => {
    const before = value.slice(0, clamp(index, value));
    const k = before.split('\n').length - 1;
    const lineStart = before.lastIndexOf('\n') + 1;
    const source = lines[start.line + k] ?? '';
    const valueLine = valueLines[k] ?? '';
    const indent = source.endsWith(valueLine) ? source.length - valueLine.length : (/^[ \t]*/.exec(source)?.[0].length ?? 0);
    return { line: start.line + 1 + k, column: [...source.slice(0, indent)].length + 1 + [...before.slice(lineStart)].length };
  };
}

/** Folded and multi-line flow scalars: the first source line, from the scalar on, that holds the text at the index. */
function bySearch(lines: readonly string[], start: Position, value: string): PositionInValue {
  return (index) => {
    const at = clamp(index, value);
    const lineEnd = value.indexOf('\n', at);
    const rest = value.slice(at, lineEnd < 0 ? undefined : lineEnd);
    const needle = rest.slice(0, 24).split(' ').filter((w) => w !== '')[0] ?? '';
    const valueLine = value.slice(0, at).split('\n').length - 1;
    if (needle !== '') {
      // the text before the index, on the same value line, tells which occurrence of the needle is meant
      for (let l = start.line - 1; l < Math.min(lines.length, start.line + valueLine * 2 + 200); l += 1) {
        const line = lines[l] ?? '';
        const from = l === start.line - 1 ? start.column - 1 : 0;
        const found = line.indexOf(needle, from);
        if (found >= 0) return { line: l + 1, column: [...line.slice(0, found)].length + 1 };
      }
    }
    return start;
  };
}
