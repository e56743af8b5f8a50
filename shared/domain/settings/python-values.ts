/**
 * Python semantics the settings engine needs to replay SPA's loader: type names, truthiness, `str()` of keys,
 * dictionary key equality (`1 == 1.0 == True`), and a small mutable object model (PyDict, PyList, PyFloat) in which
 * SPA's in-place completion of items from `defaults` can be replayed with the same sharing as in Python.
 */
import type { Position } from './diagnostics';
import { YamlBinary, YamlTimestamp, type SettingsMapping, type SettingsValue } from './settings-value';

/** A Python float (JS numbers alone cannot tell `1.0` from `1`). */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** Python int: number when safe, bigint beyond. */
export type PyScalar = null | boolean | number | bigint | string | PyFloat | YamlTimestamp | YamlBinary;
export type PyValue = PyScalar | PyList | PyDict;

/** Lines and columns below these limits pack into a small integer (see packPosition). */
const PACKED_LINES = 1 << 20;
const PACKED_COLUMNS = 1 << 11;
/** Beyond them: a negative number, exact for columns below 2^23 (a settings file is at most 5 MiB). */
const WIDE_COLUMNS = 2 ** 23;

/**
 * A 1-based line and column as one number: `line × 2^11 + column`, a small integer V8 stores without allocating, or for
 * a position outside that range a negative number. Entries keep positions this way (two numbers per entry, not two
 * objects: a settings file of 10,000 accounts has some 400,000 entries once SPA has completed them).
 */
export function packPosition(line: number, column: number): number {
  if (line >= 0 && column >= 0 && line < PACKED_LINES && column < PACKED_COLUMNS && (line | 0) === line && (column | 0) === column) return line * PACKED_COLUMNS + column;
  return -(line * WIDE_COLUMNS + column) - 1;
}

/** The Position packPosition packed. */
export function unpackPosition(packed: number): Position {
  if (packed >= 0) return { line: Math.floor(packed / PACKED_COLUMNS), column: packed % PACKED_COLUMNS };
  const wide = -packed - 1;
  return { line: Math.floor(wide / WIDE_COLUMNS), column: wide % WIDE_COLUMNS };
}

/**
 * One entry of a PyDict: key, value, where they were written (packed, see packPosition), and the mapping SPA copied it
 * from, if any. Made by `pyEntry` as an object literal, not a class: V8 allocates literals of a site that keeps its
 * objects directly in the old generation, and a settings file of 10,000 accounts keeps some 300,000 entries to the end
 * (as class instances they were each copied twice by the young-generation collector).
 */
export interface PyEntry {
  /** The key object of the first insertion (Python keeps it when an equal key is set again). */
  readonly key: PyScalar;
  value: PyValue;
  /** packPosition of the key and of the value. */
  keyPosition: number;
  valuePosition: number;
  /** Set when SPA copied this entry from `defaults` (or `defaults.account_tags`, ...): the path it came from. */
  copiedFrom: string | undefined;
  /** The value as written in YAML when it is not a string (`012345678901` read as an int). */
  source: string | undefined;
  /** pyKeyId(key), and the dict's next entry in insertion order (PyDict's own bookkeeping). */
  readonly id: string;
  next: PyEntry | undefined;
}

function pyEntry(id: string, key: PyScalar, value: PyValue, keyPosition: number, valuePosition: number, copiedFrom: string | undefined, source: string | undefined): PyEntry {
  return { key, value, keyPosition, valuePosition, copiedFrom, source, id, next: undefined };
}

/** Where the entry's key was written. */
export function keyAt(entry: PyEntry): Position {
  return unpackPosition(entry.keyPosition);
}

/** Where the entry's value was written. */
export function valueAt(entry: PyEntry): Position {
  return unpackPosition(entry.valuePosition);
}

/** Tells an entry from a Position (code that reports at "the value of this entry, or this position"). */
export function isPyEntry(where: Position | PyEntry): where is PyEntry {
  return (where as Partial<PyEntry>).keyPosition !== undefined;
}

/** A dict with more entries than this also keeps a Map from key id to entry; a smaller one searches its entries. */
const SEARCHED_ENTRIES = 8;

/**
 * A Python dict: entries in insertion order (a chain through `next`), found by pyKeyId. Nearly every dict of a settings
 * file has 1 to 6 entries: a Map's hash table would cost some 190 bytes each (120,000 dicts for 10,000 accounts, all
 * kept to the end and copied by the young-generation collector); only a larger dict (the accounts) keeps a Map.
 */
export class PyDict {
  private first: PyEntry | undefined;
  private last: PyEntry | undefined;
  private count: number;
  private index: Map<string, PyEntry> | undefined;
  /**
   * Set by toPython when the YAML reaches this dict more than once (an alias, a merge key): the same object then
   * stands in several places, as in Python. False for a dict built elsewhere.
   */
  aliased: boolean;
  /** The last walk (see newWalk) that reached this dict, and what it made of it: cheaper than a Set or a Map. */
  walk: number;
  walkResult: SettingsValue | undefined;
  private readonly atPosition: number;
  constructor(at: Position) {
    this.first = undefined;
    this.last = undefined;
    this.count = 0;
    this.index = undefined;
    this.aliased = false;
    this.walk = 0;
    this.walkResult = undefined;
    this.atPosition = packPosition(at.line, at.column);
  }

  /** Where the dict starts in the file. */
  get at(): Position {
    return unpackPosition(this.atPosition);
  }

  get size(): number {
    return this.count;
  }

  /** The entries in insertion order (a new array: the dict may change while it is walked). */
  get entries(): PyEntry[] {
    const list = new Array<PyEntry>(this.count);
    let i = 0;
    for (let entry = this.first; entry !== undefined; entry = entry.next) list[i++] = entry;
    return list;
  }
  /** True when a key with this pyKeyId is in the dict (a string key's id is the string, unless it starts with NUL). */
  has(id: string): boolean {
    return this.getEntry(id) !== undefined;
  }
  getEntry(id: string): PyEntry | undefined {
    if (this.index !== undefined) return this.index.get(id);
    for (let entry = this.first; entry !== undefined; entry = entry.next) if (entry.id === id) return entry;
    return undefined;
  }
  get(id: string): PyValue | undefined {
    return this.getEntry(id)?.value;
  }
  /** `d[key] = value`: an existing key keeps its place and key object. */
  set(keyObject: PyScalar, value: PyValue, keyAt: Position, valueAt: Position, copiedFrom?: string, source?: string): void {
    this.put(keyObject, value, packPosition(keyAt.line, keyAt.column), packPosition(valueAt.line, valueAt.column), copiedFrom, source);
  }

  /** `set` with the positions as numbers (no Position objects to allocate). */
  setAt(keyObject: PyScalar, value: PyValue, keyLine: number, keyColumn: number, valueLine: number, valueColumn: number, copiedFrom?: string, source?: string): void {
    this.put(keyObject, value, packPosition(keyLine, keyColumn), packPosition(valueLine, valueColumn), copiedFrom, source);
  }

  /** `d[key] = value` with the positions of another entry (`like`); copiedFrom and source as given. */
  setAtEntry(keyObject: PyScalar, value: PyValue, like: PyEntry, copiedFrom?: string, source?: string): void {
    this.put(keyObject, value, like.keyPosition, like.valuePosition, copiedFrom, source);
  }

  /** Copies another dict's entry here, keeping its positions (`item.update(missing)` in SPA). */
  setCopy(entry: PyEntry, copiedFrom: string): void {
    this.put(entry.key, entry.value, entry.keyPosition, entry.valuePosition, entry.copiedFrom ?? copiedFrom, entry.source);
  }

  /** `dict.copy()`: a new dict sharing the values. */
  copy(): PyDict {
    const copy = new PyDict(this.at);
    for (let e = this.first; e !== undefined; e = e.next) copy.put(e.key, e.value, e.keyPosition, e.valuePosition, e.copiedFrom, e.source);
    return copy;
  }

  private put(keyObject: PyScalar, value: PyValue, keyPosition: number, valuePosition: number, copiedFrom: string | undefined, source: string | undefined): void {
    const id = pyKeyId(keyObject);
    const existing = this.getEntry(id);
    if (existing === undefined) {
      const entry = pyEntry(id, keyObject, value, keyPosition, valuePosition, copiedFrom, source);
      if (this.last === undefined) this.first = entry;
      else this.last.next = entry;
      this.last = entry;
      this.count += 1;
      if (this.index !== undefined) this.index.set(id, entry);
      else if (this.count > SEARCHED_ENTRIES) {
        const index = new Map<string, PyEntry>();
        for (let e = this.first; e !== undefined; e = e.next) index.set(e.id, e);
        this.index = index;
      }
      return;
    }
    existing.value = value;
    existing.keyPosition = keyPosition;
    existing.valuePosition = valuePosition;
    existing.copiedFrom = copiedFrom;
    existing.source = source;
  }
}

export class PyList {
  /** As for PyDict. */
  aliased = false;
  walk = 0;
  walkResult: SettingsValue | undefined = undefined;
  constructor(
    readonly items: PyValue[],
    readonly itemsAt: Position[],
    readonly at: Position,
  ) {}
}

let walks = 0;

/**
 * A new walk over Python values: a number that marks the dicts and lists it reached (`firstVisit`), so that one
 * shared by many accounts (SPA's copies from defaults, YAML aliases) is visited once. A Set of visited objects
 * would cost a hash lookup per dict of 10,000 accounts.
 */
export function newWalk(): number {
  walks += 1;
  return walks;
}

/** True the first time `walk` reaches `value` (and marks it), false after. */
export function firstVisit(value: PyDict | PyList, walk: number): boolean {
  if (value.walk === walk) return false;
  value.walk = walk;
  value.walkResult = undefined;
  return true;
}

// ---- Type names and checks -------------------------------------------------------------------------------------

/** `type(value).__name__` */
export function pyTypeName(value: PyValue | undefined): string {
  if (value === undefined || value === null) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number' || typeof value === 'bigint') return 'int';
  if (typeof value === 'string') return 'str';
  if (value instanceof PyFloat) return 'float';
  if (value instanceof YamlTimestamp) return value.hasTime ? 'datetime' : 'date';
  if (value instanceof YamlBinary) return 'bytes';
  if (value instanceof PyList) return 'list';
  return 'dict';
}

/** Python truthiness (`if value:`). */
export function pyTruthy(value: PyValue | undefined): boolean {
  if (value === undefined || value === null || value === false) return false;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'bigint') return value !== 0n;
  if (typeof value === 'string') return value.length > 0;
  if (value instanceof PyFloat) return value.value !== 0;
  if (value instanceof YamlBinary) return value.base64.replace(/[^A-Za-z0-9+/]/g, '').length > 0;
  if (value instanceof PyList) return value.items.length > 0;
  if (value instanceof PyDict) return value.size > 0;
  return true;
}

/** `isinstance(value, int)`: a bool is an int, a float is not. */
export function pyIsInt(value: PyValue | undefined): boolean {
  return typeof value === 'boolean' || typeof value === 'number' || typeof value === 'bigint';
}

// ---- Keys ---------------------------------------------------------------------------------------------------------

/**
 * Identity of a dictionary key under Python equality: `1`, `1.0` and `True` are one key, `'1'` is another.
 * Strings are their own id (the common case, kept fast); other types get a NUL-prefixed id.
 */
export function pyKeyId(key: PyScalar | PyValue): string {
  // a string is its own id, unless it starts with NUL like the ids of other types (a double-quoted "\0n:1")
  if (typeof key === 'string') return key.charCodeAt(0) === 0 ? `\0s:${key}` : key;
  if (key === null) return '\0none';
  if (typeof key === 'boolean') return key ? '\0n:1' : '\0n:0';
  if (typeof key === 'number' || typeof key === 'bigint') return `\0n:${String(key)}`;
  if (key instanceof PyFloat) {
    const v = key.value;
    if (Number.isFinite(v) && Number.isInteger(v)) return `\0n:${BigInt(v).toString()}`;
    return `\0f:${String(v)}`;
  }
  if (key instanceof YamlTimestamp) return `\0t:${key.hasTime ? 'dt' : 'd'}:${key.text}`;
  if (key instanceof YamlBinary) return `\0b:${key.base64}`;
  return `\0unhashable`;
}

/** Python `repr(float)` / `str(float)`: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function pyFloatRepr(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const [mantissa = '0', exponentText = '0'] = v.toExponential().split('e');
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (exponent < -4 || exponent >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exponent).toString().padStart(2, '0');
    return `${sign}${m}e${exponent < 0 ? '-' : '+'}${e}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  if (digits.length <= exponent + 1) return `${sign}${digits}${'0'.repeat(exponent + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}

/** Python `str(value)` of a scalar: what `"{0}_{1}".format(key, subkey)` and messages show. */
export function pyStr(value: PyValue | undefined): string {
  if (value === undefined || value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return value;
  if (value instanceof PyFloat) return pyFloatRepr(value.value);
  if (value instanceof YamlTimestamp) return timestampStr(value);
  if (value instanceof YamlBinary) return `b'${value.base64}'`;
  if (value instanceof PyList) return `[${value.items.map(pyRepr).join(', ')}]`;
  return `{${[...value.entries].map((e) => `${pyRepr(e.key)}: ${pyRepr(e.value)}`).join(', ')}}`;
}

/** Python `repr()` (approximate for containers; exact for str, numbers, None, bools). */
export function pyRepr(value: PyValue | undefined): string {
  if (typeof value === 'string') {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    const body = value
      .replace(/\\/g, '\\\\')
      .replace(/\n/g, '\\n')
      .replace(/\r/g, '\\r')
      .replace(/\t/g, '\\t');
    return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
  }
  if (value instanceof YamlTimestamp) return `${value.hasTime ? 'datetime.datetime' : 'datetime.date'}(${timestampStr(value)})`;
  return pyStr(value);
}

/** A YAML 1.1 timestamp (`2024-01-31`, `2024-01-31 10:00:00.5 +02:00`), its parts captured (Python's `$`: `\n?$`). */
export const TIMESTAMP_PARTS =
  /^([0-9][0-9][0-9][0-9])-([0-9][0-9]?)-([0-9][0-9]?)(?:(?:[Tt]|[ \t]+)([0-9][0-9]?):([0-9][0-9]):([0-9][0-9])(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9][0-9]?)(?::([0-9][0-9]))?))?)?\n?$/;

/** Python `str(date)` / `str(datetime)` of a YAML timestamp. */
export function timestampStr(value: YamlTimestamp): string {
  const m = TIMESTAMP_PARTS.exec(value.text.replace(/\n$/, ''));
  if (!m) return value.text;
  const pad = (s: string | undefined, n = 2): string => (s ?? '0').padStart(n, '0');
  const date = `${pad(m[1], 4)}-${pad(m[2])}-${pad(m[3])}`;
  if (m[4] === undefined) return date;
  let text = `${date} ${pad(m[4])}:${pad(m[5])}:${pad(m[6])}`;
  const fraction = m[7] ? m[7].slice(0, 6).padEnd(6, '0') : '';
  if (fraction && Number(fraction) !== 0) text += `.${fraction}`;
  if (m[8] === 'Z') text += '+00:00';
  else if (m[9] !== undefined) {
    const minutes = Number(m[10] ?? 0) * 60 + Number(m[11] ?? 0);
    const sign = m[9] === '-' && minutes !== 0 ? '-' : '+';
    text += `${sign}${pad(String(Math.floor(minutes / 60)))}:${pad(String(minutes % 60))}`;
  }
  return text;
}

// ---- Python str methods ---------------------------------------------------------------------------------------

/** Characters for which Python's `str.isspace()` is true (what `str.strip()` removes). */
const PY_WHITESPACE = '\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';

/** Python `str.strip()` with no argument (JS `trim()` differs: it strips U+FEFF and keeps U+001C..U+001F, U+0085). */
export function pyStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && PY_WHITESPACE.includes(text[start] ?? 'x')) start += 1;
  while (end > start && PY_WHITESPACE.includes(text[end - 1] ?? 'x')) end -= 1;
  return text.slice(start, end);
}

/** Python `len(str)`: code points. */
export function pyLen(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n += 1;
  }
  return n;
}

/**
 * Python `str.isdigit()`: true when non-empty and every character has Numeric_Type Digit or Decimal. JS has no
 * Numeric_Type property: decimal digits (Nd) plus the Unicode "digit" characters (superscripts, circled digits, ...).
 */
// Ranges generated with python3: [c for c in range(0x110000) if chr(c).isdigit() and not chr(c).isdecimal()].
const PY_DIGIT_EXTRA =
  /[\u00B2\u00B3\u00B9\u1369-\u1371\u19DA\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247C\u2488-\u2490\u24EA\u24F5-\u24FD\u24FF\u2776-\u277E\u2780-\u2788\u278A-\u2792\u{10A40}-\u{10A43}\u{10E60}-\u{10E68}\u{11052}-\u{1105A}\u{1F100}-\u{1F10A}]/u;
export function pyIsDigit(text: string): boolean {
  if (text.length === 0) return false;
  if (/^[0-9]+$/.test(text)) return true;
  for (const ch of text) {
    if (!/\p{Nd}/u.test(ch) && !PY_DIGIT_EXTRA.test(ch)) return false;
  }
  return true;
}

// ---- Conversion to plain values -----------------------------------------------------------------------------------

/** Assigns `obj[key] = value` even for `__proto__`. */
export function setOwn(obj: SettingsMapping, key: string, value: SettingsValue): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/**
 * The SettingsValue of a Python value: keys become `str(key)`, floats plain numbers. Shared objects stay shared within
 * one walk: calls with the same `walk` (see newWalk) give the same object for the same dict or list.
 */
export function pyToSettingsValue(value: PyValue, walk = newWalk()): SettingsValue {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof PyFloat) return value.value;
  if (value instanceof PyList) {
    if (value.walk === walk && value.walkResult !== undefined) return value.walkResult;
    const array: SettingsValue[] = [];
    value.walk = walk;
    value.walkResult = array;
    for (const item of value.items) array.push(pyToSettingsValue(item, walk));
    return array;
  }
  if (value instanceof PyDict) {
    if (value.walk === walk && value.walkResult !== undefined) return value.walkResult;
    const mapping: SettingsMapping = {};
    value.walk = walk;
    value.walkResult = mapping;
    for (const entry of value.entries) {
      const key = entry.key;
      setOwn(mapping, typeof key === 'string' ? key : pyStr(key), pyToSettingsValue(entry.value, walk));
    }
    return mapping;
  }
  return value;
}
