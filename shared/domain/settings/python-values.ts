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

/** Where a value came from: its key and value positions, and the mapping it was copied from by SPA, if any. */
export interface PyEntry {
  /** The key object of the first insertion (Python keeps it when an equal key is set again). */
  key: PyScalar;
  value: PyValue;
  keyAt: Position;
  valueAt: Position;
  /** Set when SPA copied this entry from `defaults` (or `defaults.account_tags`, ...): the path it came from. */
  copiedFrom?: string;
  /** The value as written in YAML when it is not a string (`012345678901` read as an int). */
  source?: string;
}

export class PyDict {
  readonly entries = new Map<string, PyEntry>();
  constructor(readonly at: Position) {}

  get size(): number {
    return this.entries.size;
  }
  has(key: string): boolean {
    return this.entries.has(key);
  }
  getEntry(key: string): PyEntry | undefined {
    return this.entries.get(key);
  }
  get(key: string): PyValue | undefined {
    return this.entries.get(key)?.value;
  }
  /** `d[key] = value`: an existing key keeps its place and key object. */
  set(keyObject: PyScalar, value: PyValue, keyAt: Position, valueAt: Position, copiedFrom?: string, source?: string): void {
    const id = pyKeyId(keyObject);
    const existing = this.entries.get(id);
    const entry: PyEntry = existing ?? { key: keyObject, value, keyAt, valueAt };
    entry.value = value;
    entry.keyAt = keyAt;
    entry.valueAt = valueAt;
    if (copiedFrom === undefined) delete entry.copiedFrom;
    else entry.copiedFrom = copiedFrom;
    if (source === undefined) delete entry.source;
    else entry.source = source;
    if (!existing) this.entries.set(id, entry);
  }

  /** Copies another dict's entry here, keeping its positions (`item.update(missing)` in SPA). */
  setCopy(entry: PyEntry, copiedFrom: string): void {
    this.set(entry.key, entry.value, entry.keyAt, entry.valueAt, entry.copiedFrom ?? copiedFrom, entry.source);
  }
  /** `dict.copy()`: a new dict sharing the values. */
  copy(): PyDict {
    const copy = new PyDict(this.at);
    for (const [id, entry] of this.entries) copy.entries.set(id, { ...entry });
    return copy;
  }
}

export class PyList {
  constructor(
    readonly items: PyValue[],
    readonly itemsAt: Position[],
    readonly at: Position,
  ) {}
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
  if (typeof key === 'string') return key;
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
  return `{${[...value.entries.values()].map((e) => `${pyRepr(e.key)}: ${pyRepr(e.value)}`).join(', ')}}`;
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

const TIMESTAMP_PARTS =
  /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?)?$/;

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

export function pyIsSpace(ch: string): boolean {
  return ch.length === 1 && PY_WHITESPACE.includes(ch);
}

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

/** The SettingsValue of a Python value: keys become `str(key)`, floats plain numbers. Shared objects stay shared. */
export function pyToSettingsValue(value: PyValue, memo = new Map<PyDict | PyList, SettingsValue>()): SettingsValue {
  if (value instanceof PyFloat) return value.value;
  if (value instanceof PyList) {
    const known = memo.get(value);
    if (known !== undefined) return known;
    const array: SettingsValue[] = [];
    memo.set(value, array);
    for (const item of value.items) array.push(pyToSettingsValue(item, memo));
    return array;
  }
  if (value instanceof PyDict) {
    const known = memo.get(value);
    if (known !== undefined) return known;
    const mapping: SettingsMapping = {};
    memo.set(value, mapping);
    for (const entry of value.entries.values()) setOwn(mapping, pyStr(entry.key), pyToSettingsValue(entry.value, memo));
    return mapping;
  }
  return value;
}
