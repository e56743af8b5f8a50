import { PyDict, PyFloat, PyList, pyStr, type PyValue } from '../domain/settings/python-values';
import { YamlBinary, YamlTimestamp } from '../domain/settings/settings-value';
import { MAX_JSON_DEPTH, toJsonSafe } from './plan-json';

/**
 * JSON for machines, two-space indented: big integers, NaN and infinities made JSON-safe (see toJsonSafe).
 * Always the text of `JSON.stringify(toJsonSafe(value), null, 2)`; the deep copy is skipped when the value holds
 * nothing toJsonSafe would change (the common case: effective settings of 10,000 accounts are written as they are).
 */
export function toJson(value: unknown): string {
  return JSON.stringify(isJsonReady(value) ? value : toJsonSafe(value), null, 2);
}

/**
 * True when `JSON.stringify(value)` already writes what `JSON.stringify(toJsonSafe(value))` writes: no bigint, NaN,
 * infinity, function or symbol where toJsonSafe would keep a place for it, no nesting at toJsonSafe's depth cap,
 * no object with its own idea of JSON (toJSON, boxed primitives) other than a YAML date or binary value (whose
 * toJSON gives the same text as toJsonSafe). Walks the value without allocating.
 */
export function isJsonReady(value: unknown): boolean {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return false;
  const scan = new Scan(Number.POSITIVE_INFINITY);
  scan.visit(value, 0);
  return scan.ready;
}

/**
 * Counts the values of a subtree up to a budget and tells whether JSON.stringify writes it as it would write its
 * toJsonSafe copy (see isJsonReady). One walk for both: jsonChunks needs both for every member it writes.
 */
class Scan {
  ready = true;
  constructor(
    /** Values still to count; negative once the subtree is larger than the budget (the walk then stops). */
    public left: number,
  ) {}

  visit(value: unknown, depth: number): void {
    this.left -= 1;
    if (value === null) return;
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return;
      case 'number':
        if (!Number.isFinite(value)) this.ready = false;
        return;
      case 'object':
        break;
      default:
        // bigint; function and symbol: JSON.stringify drops them from objects where toJsonSafe writes null
        this.ready = false;
        return;
    }
    if (value instanceof PyDict || value instanceof PyList || value instanceof PyFloat) {
      // Python values are written by writePython, never by JSON.stringify: the subtree counts as too large
      this.ready = false;
      this.left = -1;
      return;
    }
    if (value instanceof YamlTimestamp) {
      if (typeof value.text !== 'string') this.ready = false;
      return;
    }
    if (value instanceof YamlBinary) {
      if (typeof value.base64 !== 'string') this.ready = false;
      return;
    }
    if (depth >= MAX_JSON_DEPTH) {
      this.ready = false;
      return;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length && this.left >= 0; i += 1) {
        const item: unknown = value[i];
        // in an array JSON.stringify writes null for undefined, functions and symbols, as toJsonSafe does
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') this.left -= 1;
        else this.visit(item, depth + 1);
      }
      return;
    }
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') this.ready = false;
    if (value instanceof Number || value instanceof String || value instanceof Boolean || value instanceof BigInt) this.ready = false;
    const record = value as Record<string, unknown>;
    for (const key in record) {
      if (this.left < 0) return;
      if (!Object.hasOwn(record, key)) continue;
      const item = record[key];
      if (item !== undefined) this.visit(item, depth + 1);
    }
  }
}

/** jsonChunks writes a list or mapping with more values than this (all levels counted) member by member. */
const WHOLE_NODES = 2048;
/** jsonChunks hands its text over in chunks of about this many characters, each ending with a line break. */
const CHUNK_CHARS = 64 * 1024;

/**
 * Writes `toJson(value)` followed by a line break, in chunks of whole lines (each ends with `\n`), so that a large
 * value is never held as one string: `spa-cd validate --json` on 20,000 accounts writes 13 MB without a 13 MB string
 * and its 13 MB buffer. The text is byte for byte toJson's.
 */
export function writeJson(value: unknown, write: (chunk: string) => void): void {
  for (const chunk of jsonChunks(value)) write(chunk);
}

/**
 * The chunks writeJson writes, one at a time (a caller can let its output drain between two). Subtrees of at most
 * `wholeNodes` values are written with one JSON.stringify each (through toJsonSafe only when they need it), larger
 * lists and mappings member by member. Tests make `wholeNodes` small to check the member-by-member path.
 */
export function* jsonChunks(value: unknown, wholeNodes = WHOLE_NODES): Generator<string, void, undefined> {
  const writer = new ChunkWriter(wholeNodes);
  const steps = writeValue(value, 0, writer);
  while (steps.next().done !== true) yield writer.take();
  writer.add('\n');
  yield writer.take();
}

class ChunkWriter {
  /** The chunk so far: `+=` makes a rope V8 flattens once, cheaper than an array of pieces and a join. */
  private text = '';
  constructor(
    /** A subtree with at most this many values is written with one JSON.stringify. */
    readonly wholeNodes: number,
  ) {}

  add(text: string): void {
    this.text += text;
  }

  /** At a line end: whether a chunk is ready to take (a chunk is always whole lines). */
  full(): boolean {
    return this.text.length >= CHUNK_CHARS;
  }

  take(): string {
    const chunk = this.text;
    this.text = '';
    return chunk;
  }
}

/**
 * Writes what `JSON.stringify(toJsonSafe(root), null, 2)` writes for `value` found `depth` levels deep in root (its
 * first character already placed); yields at line ends when a chunk is full.
 */
function* writeValue(value: unknown, depth: number, writer: ChunkWriter): Generator<void, void, undefined> {
  if (value instanceof PyDict || value instanceof PyList) {
    yield* writePython(value, depth, writer);
    return;
  }
  if (value instanceof PyFloat) {
    writer.add(jsonNumber(value.value));
    return;
  }
  const scan = new Scan(writer.wholeNodes);
  scan.visit(value, depth);
  if (scan.left >= 0 || typeof value !== 'object' || value === null) {
    writer.add(stringifyAt(scan.ready ? value : toJsonSafe(value, depth), depth));
    return;
  }
  // A large list or mapping (below toJsonSafe's depth cap, not a YAML date or binary: those count as one value),
  // written as toJsonSafe copies it: arrays item by item, other objects by their own enumerable keys.
  const pad = '  '.repeat(depth + 1);
  if (Array.isArray(value)) {
    if (value.length === 0) {
      writer.add('[]');
      return;
    }
    writer.add('[\n');
    for (let i = 0; i < value.length; i += 1) {
      writer.add(pad);
      const item: unknown = value[i];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') writer.add('null');
      else yield* writeValue(item, depth + 1, writer);
      writer.add(i === value.length - 1 ? '\n' : ',\n');
      if (writer.full()) yield;
    }
    writer.add(`${'  '.repeat(depth)}]`);
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((key) => record[key] !== undefined);
  if (keys.length === 0) {
    writer.add('{}');
    return;
  }
  writer.add('{\n');
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    writer.add(`${pad}${JSON.stringify(key)}: `);
    yield* writeValue(record[key], depth + 1, writer);
    writer.add(i === keys.length - 1 ? '\n' : ',\n');
    if (writer.full()) yield;
  }
  writer.add(`${'  '.repeat(depth)}}`);
}

/**
 * JSON.stringify(value, null, 2) as it appears `depth` levels deep (its inner lines indented by 2 × depth more):
 * the value is stringified inside `depth` nested arrays, which indent it exactly so, and cut out.
 */
function stringifyAt(value: unknown, depth: number): string {
  if (depth === 0 || typeof value !== 'object' || value === null) return JSON.stringify(value, null, 2) ?? 'null';
  let wrapped: unknown = value;
  for (let i = 0; i < depth; i += 1) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2);
  // before the value: "[\n", "  [\n", … (2i + 2 characters for level i) and 2 × depth spaces; after it, for each
  // level "\n", 2i spaces and "]"
  return text.slice(depth * depth + 3 * depth, text.length - (depth * depth + depth));
}

// ---- Python values ------------------------------------------------------------------------------------------------

/** `budget` minus the values of a subtree (all levels), or a negative number as soon as there are more. */
function pythonValuesWithin(value: PyValue, budget: number): number {
  let left = budget - 1;
  if (value instanceof PyList) {
    for (const item of value.items) {
      if (left < 0) break;
      left = pythonValuesWithin(item, left);
    }
  } else if (value instanceof PyDict) {
    for (const entry of value.entries) {
      if (left < 0) break;
      left = pythonValuesWithin(entry.value, left);
    }
  }
  return left;
}

/** `'  '.repeat(depth)`, kept. */
const PADS: string[] = [''];
function pad(depth: number): string {
  while (PADS.length <= depth) PADS.push(`${PADS[PADS.length - 1] ?? ''}  `);
  return PADS[depth] as string;
}

/**
 * Writes a Python value (a PyDict or PyList of SPA's settings, as the settings check keeps them) as its SettingsValue
 * would be written: the text is `stringifyAt(toJsonSafe(pyToSettingsValue(value), depth), depth)`, without making the
 * plain objects (20,000 accounts of a large environment are written from the dicts SPA's replay built). Keys are
 * `str(key)`; equal keys after that keep the first place and the last value, and keys that are array indexes come
 * first in ascending order, as in a JavaScript object.
 */
function* writePython(value: PyDict | PyList, depth: number, writer: ChunkWriter): Generator<void, void, undefined> {
  if (depth >= MAX_JSON_DEPTH || pythonValuesWithin(value, writer.wholeNodes) >= 0) {
    writePythonValue(value, depth, writer);
    return;
  }
  const inner = pad(depth + 1);
  if (value instanceof PyList) {
    writer.add('[\n');
    const items = value.items;
    for (let i = 0; i < items.length; i += 1) {
      writer.add(inner);
      const item = items[i] ?? null;
      if (item instanceof PyDict || item instanceof PyList) yield* writePython(item, depth + 1, writer);
      else writePythonValue(item, depth + 1, writer);
      writer.add(i === items.length - 1 ? '\n' : ',\n');
      if (writer.full()) yield;
    }
    writer.add(`${pad(depth)}]`);
    return;
  }
  const { keys, values } = jsonMembers(value);
  writer.add('{\n');
  for (let i = 0; i < keys.length; i += 1) {
    writer.add(`${inner}${JSON.stringify(keys[i])}: `);
    const item = values[i] ?? null;
    if (item instanceof PyDict || item instanceof PyList) yield* writePython(item, depth + 1, writer);
    else writePythonValue(item, depth + 1, writer);
    writer.add(i === keys.length - 1 ? '\n' : ',\n');
    if (writer.full()) yield;
  }
  writer.add(`${pad(depth)}}`);
}

function writePythonValue(value: PyValue, depth: number, writer: ChunkWriter): void {
  if (value === null) writer.add('null');
  else if (typeof value === 'string') writer.add(JSON.stringify(value));
  else if (typeof value === 'boolean') writer.add(value ? 'true' : 'false');
  else if (typeof value === 'number') writer.add(jsonNumber(value));
  else if (typeof value === 'bigint') writer.add(jsonNumber(value));
  else if (value instanceof PyFloat) writer.add(jsonNumber(value.value));
  else if (value instanceof YamlTimestamp) writer.add(JSON.stringify(String(value.text)));
  else if (value instanceof YamlBinary) writer.add(JSON.stringify(String(value.base64)));
  else if (depth >= MAX_JSON_DEPTH) writer.add('"…"');
  else if (value instanceof PyList) {
    const items = value.items;
    if (items.length === 0) {
      writer.add('[]');
      return;
    }
    const inner = pad(depth + 1);
    writer.add('[\n');
    for (let i = 0; i < items.length; i += 1) {
      writer.add(inner);
      writePythonValue(items[i] ?? null, depth + 1, writer);
      writer.add(i === items.length - 1 ? '\n' : ',\n');
    }
    writer.add(`${pad(depth)}]`);
  } else if (value.size === 0) writer.add('{}');
  else if (isPlainDict(value)) {
    const member = memberPrefixes(depth + 1);
    let first = true;
    for (const entry of value.entries) {
      writer.add(member.get(entry.key as string, first));
      first = false;
      writePythonValue(entry.value, depth + 1, writer);
    }
    writer.add(member.close);
  } else {
    const { keys, values } = jsonMembers(value);
    const inner = pad(depth + 1);
    writer.add('{\n');
    for (let i = 0; i < keys.length; i += 1) {
      writer.add(`${inner}${JSON.stringify(keys[i])}: `);
      writePythonValue(values[i] ?? null, depth + 1, writer);
      writer.add(i === keys.length - 1 ? '\n' : ',\n');
    }
    writer.add(`${pad(depth)}}`);
  }
}

/** True when every key is a string and none is an array index: the JSON keys are the dict's keys, in its order. */
function isPlainDict(dict: PyDict): boolean {
  for (const entry of dict.entries) if (typeof entry.key !== 'string' || isArrayIndex(entry.key)) return false;
  return true;
}

/**
 * What comes before a member of a mapping at one depth — `{` or `,`, the line break, the indent, `"key": ` — as one
 * string, kept for the keys seen most (identifier, note, account_tags, ... of 20,000 accounts), and what closes it.
 */
class MemberPrefixes {
  private readonly firsts = new Map<string, string>();
  private readonly others = new Map<string, string>();
  readonly close: string;
  constructor(private readonly indent: string) {
    this.close = `\n${indent.slice(2)}}`;
  }

  get(key: string, first: boolean): string {
    const kept = first ? this.firsts : this.others;
    const known = kept.get(key);
    if (known !== undefined) return known;
    const prefix = `${first ? '{' : ','}\n${this.indent}${JSON.stringify(key)}: `;
    if (kept.size < 2048 && key.length <= 64) kept.set(key, prefix);
    return prefix;
  }
}

const MEMBER_PREFIXES: MemberPrefixes[] = [];
function memberPrefixes(depth: number): MemberPrefixes {
  let prefixes = MEMBER_PREFIXES[depth];
  if (prefixes === undefined) {
    prefixes = new MemberPrefixes(pad(depth));
    MEMBER_PREFIXES[depth] = prefixes;
  }
  return prefixes;
}

/** A number (or int) as toJsonSafe then JSON.stringify write it. */
function jsonNumber(value: number | bigint): string {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? String(Number(value)) : JSON.stringify(value.toString());
  }
  if (Number.isNaN(value)) return '".nan"';
  if (value === Infinity) return '".inf"';
  if (value === -Infinity) return '"-.inf"';
  return JSON.stringify(value);
}

/** True for a key a JavaScript object orders first: an array index (a canonical integer below 2^32 - 1). */
function isArrayIndex(key: string): boolean {
  const first = key.charCodeAt(0);
  if (!(first >= 48 && first <= 57) || key.length > 10) return false;
  if (!/^(?:0|[1-9][0-9]*)$/.test(key)) return false;
  return Number(key) < 4294967295;
}

/** The keys and values of the plain object pyToSettingsValue makes of a dict, in that object's order. */
function jsonMembers(dict: PyDict): { keys: string[]; values: PyValue[] } {
  const keys: string[] = [];
  const values: PyValue[] = [];
  let plain = true;
  for (const entry of dict.entries) {
    const key = typeof entry.key === 'string' ? entry.key : pyStr(entry.key);
    if (plain && (typeof entry.key !== 'string' || isArrayIndex(key))) plain = false;
    keys.push(key);
    values.push(entry.value);
  }
  // distinct strings in insertion order: the common case
  if (plain) return { keys, values };
  const byKey = new Map<string, PyValue>();
  for (let i = 0; i < keys.length; i += 1) byKey.set(keys[i] as string, values[i] ?? null);
  const indexes = [...byKey.keys()].filter(isArrayIndex).sort((a, b) => Number(a) - Number(b));
  const others = [...byKey.keys()].filter((key) => !isArrayIndex(key));
  const ordered = [...indexes, ...others];
  return { keys: ordered, values: ordered.map((key) => byKey.get(key) ?? null) };
}
