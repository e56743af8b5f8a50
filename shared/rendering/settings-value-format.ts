import { isMapping, YamlBinary, YamlTimestamp, type SettingsValue } from '../domain/settings/settings-value';
import { truncate } from './markdown-escape';

/** Nesting shown before `…`. */
const MAX_FORMAT_DEPTH = 8;

/**
 * A settings value as compact, type-revealing plain text (YAML flow style with JSON-quoted strings), at most
 * `max` UTF-16 code units: `"1"` is a string, `1` a number, `true` a boolean, `2024-01-31` a YAML date,
 * `{"owner": "a", "n": 1}` a mapping. Stops early on huge values. The result still needs `code()` before markdown.
 */
export function formatValue(value: SettingsValue | undefined, max = 120): string {
  const out: string[] = [];
  const state = { length: 0, limit: Math.max(0, max) + 1 };
  write(value, out, state, 0);
  return truncate(out.join(''), max);
}

interface State {
  length: number;
  readonly limit: number;
}

function emit(out: string[], state: State, text: string): void {
  out.push(text);
  state.length += text.length;
}

function write(value: SettingsValue | undefined, out: string[], state: State, depth: number): void {
  if (state.length > state.limit) return;
  if (value === undefined) return emit(out, state, '(absent)');
  if (value === null) return emit(out, state, 'null');
  if (typeof value === 'boolean') return emit(out, state, value ? 'true' : 'false');
  if (typeof value === 'number') return emit(out, state, formatNumber(value));
  if (typeof value === 'bigint') return emit(out, state, value.toString());
  if (typeof value === 'string') {
    const room = state.limit - state.length + 1;
    return emit(out, state, JSON.stringify(value.length > room ? value.slice(0, room) : value));
  }
  if (value instanceof YamlTimestamp) return emit(out, state, String(value.text));
  if (value instanceof YamlBinary) return emit(out, state, `!!binary ${String(value.base64).slice(0, state.limit)}`);
  if (depth >= MAX_FORMAT_DEPTH) return emit(out, state, '…');
  if (Array.isArray(value)) {
    emit(out, state, '[');
    value.forEach((item, i) => {
      if (state.length > state.limit) return;
      if (i > 0) emit(out, state, ', ');
      write(item, out, state, depth + 1);
    });
    return emit(out, state, ']');
  }
  if (isMapping(value)) {
    emit(out, state, '{');
    Object.keys(value).forEach((key, i) => {
      if (state.length > state.limit) return;
      if (i > 0) emit(out, state, ', ');
      emit(out, state, `${JSON.stringify(key.length > state.limit ? key.slice(0, state.limit) : key)}: `);
      write(value[key], out, state, depth + 1);
    });
    return emit(out, state, '}');
  }
  return emit(out, state, String(value));
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (n === Infinity) return '.inf';
  if (n === -Infinity) return '-.inf';
  return String(n);
}
