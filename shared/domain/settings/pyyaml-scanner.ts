/**
 * A TypeScript port of PyYAML's `reader.py` and `scanner.py` (PyYAML 6.0, MIT licence,
 * Copyright (c) 2017-2021 Ingy döt Net, Copyright (c) 2006-2016 Kirill Simonov).
 *
 * Why a port rather than the `yaml` npm package: SPA reads its settings with PyYAML `safe_load`, and we must accept and
 * reject exactly what it does. PyYAML's scanner has its own quirks (simple keys limited to 1024 characters, `:` rules in
 * flow context, tabs, duplicate anchors, `\x85`/`\u2028` as line breaks, non-printable characters refused) that the
 * `yaml` package does not share, and the `yaml` package's Parser + Composer measured ~1.2 s and 240 MB on a 3 MB
 * settings file with 10,000 accounts, where this port must be ten times faster than PyYAML's 6 s. The port keeps
 * PyYAML's structure and messages method by method, so a difference can be checked against the Python source.
 *
 * Positions are PyYAML marks: 0-based line and column counted in code points, a byte-order mark does not count as a
 * column, and `\r` not followed by `\n`, `\n`, `\x85`, `\u2028`, `\u2029` end a line.
 */

export interface Mark {
  readonly line: number;
  readonly column: number;
}

export class YamlSyntaxError extends Error {
  override readonly name = 'YamlSyntaxError';
  constructor(
    readonly context: string | undefined,
    readonly contextMark: Mark | undefined,
    readonly problem: string,
    readonly problemMark: Mark | undefined,
    readonly kind: 'reader' | 'scanner' | 'parser' | 'composer' | 'recursive' | 'alias-bomb' | 'limit' = 'scanner',
  ) {
    super(context ? `${context}: ${problem}` : problem);
  }
}

export type TokenKind =
  | 'stream-start'
  | 'stream-end'
  | 'directive'
  | 'document-start'
  | 'document-end'
  | 'block-sequence-start'
  | 'block-mapping-start'
  | 'block-end'
  | 'flow-sequence-start'
  | 'flow-mapping-start'
  | 'flow-sequence-end'
  | 'flow-mapping-end'
  | 'key'
  | 'value'
  | 'block-entry'
  | 'flow-entry'
  | 'alias'
  | 'anchor'
  | 'tag'
  | 'scalar';

/** The `id` PyYAML shows in messages ("expected <block end>, but found '<scalar>'"). */
export const TOKEN_IDS: Record<TokenKind, string> = {
  'stream-start': '<stream start>',
  'stream-end': '<stream end>',
  directive: '<directive>',
  'document-start': '<document start>',
  'document-end': '<document end>',
  'block-sequence-start': '<block sequence start>',
  'block-mapping-start': '<block mapping start>',
  'block-end': '<block end>',
  'flow-sequence-start': '[',
  'flow-mapping-start': '{',
  'flow-sequence-end': ']',
  'flow-mapping-end': '}',
  key: '?',
  value: ':',
  'block-entry': '-',
  'flow-entry': ',',
  alias: '<alias>',
  anchor: '<anchor>',
  tag: '<tag>',
  scalar: '<scalar>',
};

export interface Directive {
  readonly name: string;
  readonly yamlVersion: readonly [number, number] | undefined;
  readonly tagDirective: readonly [string, string] | undefined;
}

/** Every token has all fields (one object shape keeps the parser's property accesses fast). */
export interface Token {
  readonly kind: TokenKind;
  readonly start: Mark;
  readonly end: Mark;
  /** Scalar text, anchor or alias name. */
  readonly value: string | undefined;
  /** Scalar: plain (unquoted, not a block scalar). */
  readonly plain: boolean;
  /** Scalar style: `'`, `"`, `|`, `>`; undefined for plain. */
  readonly style: string | undefined;
  /** Tag: handle (null for verbatim `!<...>` or a lone `!`) and suffix. */
  readonly tag: readonly [string | null, string] | undefined;
  readonly directive: Directive | undefined;
}

function tok(
  kind: TokenKind,
  start: Mark,
  end: Mark,
  value: string | undefined = undefined,
  plain = false,
  style: string | undefined = undefined,
  tag: readonly [string | null, string] | undefined = undefined,
  directive: Directive | undefined = undefined,
): Token {
  return { kind, start, end, value, plain, style, tag, directive };
}

/** A possible simple key at one flow level (PyYAML's SimpleKey); one reusable object per level. */
interface SimpleKey {
  live: boolean;
  tokenNumber: number;
  required: boolean;
  index: number;
  line: number;
  column: number;
}

/** `list.extend(items)` without spreading (a spread of many items overflows the call stack). */
function pushAll(list: string[], items: readonly string[]): void {
  for (const item of items) list.push(item);
}

/** `\0 \t\r\n\x85\u2028\u2029` */
function isBlankOrEnd(ch: string): boolean {
  return ch === '\0' || ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n' || ch === '\x85' || ch === '\u2028' || ch === '\u2029';
}
/** `\0\r\n\x85\u2028\u2029` */
function isBreakOrEnd(ch: string): boolean {
  return ch === '\0' || ch === '\r' || ch === '\n' || ch === '\x85' || ch === '\u2028' || ch === '\u2029';
}
/** `\r\n\x85\u2028\u2029` */
function isBreak(ch: string): boolean {
  return ch === '\r' || ch === '\n' || ch === '\x85' || ch === '\u2028' || ch === '\u2029';
}
/** `\0 \r\n\x85\u2028\u2029` (no tab) */
function isSpaceBreakOrEnd(ch: string): boolean {
  return ch === '\0' || ch === ' ' || ch === '\r' || ch === '\n' || ch === '\x85' || ch === '\u2028' || ch === '\u2029';
}
function isAlnumDashUnderscore(ch: string): boolean {
  return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch === '-' || ch === '_';
}
function isHex(ch: string): boolean {
  return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'F') || (ch >= 'a' && ch <= 'f');
}
/** Python's `%r` of one character, for messages. */
export function pyRepr(ch: string): string {
  if (ch === '\0') return "'\\x00'";
  if (ch === '\t') return "'\\t'";
  if (ch === '\n') return "'\\n'";
  if (ch === '\r') return "'\\r'";
  if (ch === "'") return '"\'"';
  if (ch === '\\') return "'\\\\'";
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `'\\x${code.toString(16).padStart(2, '0')}'`;
  return `'${ch}'`;
}

const PLAIN_FORBIDDEN_START = '\0 \t\r\n\x85\u2028\u2029-?:,[]{}#&*!|>\'"%@`';
const URI_CHARS = "-;/?:@&=+$,_.!~*'()[]%";

const ESCAPE_REPLACEMENTS: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\x08',
  t: '\x09',
  '\t': '\x09',
  n: '\x0A',
  v: '\x0B',
  f: '\x0C',
  r: '\x0D',
  e: '\x1B',
  ' ': '\x20',
  '"': '"',
  '\\': '\\',
  '/': '/',
  N: '\x85',
  _: '\xA0',
  L: '\u2028',
  P: '\u2029',
};
const ESCAPE_CODES: Record<string, number> = { x: 2, u: 4, U: 8 };

/** PyYAML's Reader.NON_PRINTABLE (surrogates are paired here: the text came from strict UTF-8). */
// eslint-disable-next-line no-control-regex
const NON_PRINTABLE = /[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\uD800-\uDFFF]/;

export class Scanner {
  // Reader state
  private readonly buffer: string;
  private pointer = 0;
  /** Code points consumed (PyYAML's `index`). */
  private index = 0;
  private line = 0;
  private column = 0;

  // Scanner state
  private done = false;
  private flowLevel = 0;
  private tokens: Token[] = [];
  private tokensTaken = 0;
  private indent = -1;
  private readonly indents: number[] = [];
  private allowSimpleKey = true;
  /** PyYAML's `possible_simple_keys` dict, indexed by flow level; `live` tells whether the level holds a key. */
  private readonly simpleKeys: SimpleKey[] = [];
  private simpleKeyCount = 0;
  /** True while the token queue is as need_more_tokens wants it (see fillTokens). */
  private settled = false;

  constructor(text: string) {
    const bad = NON_PRINTABLE.exec(text);
    if (bad) {
      const position = this.markAtOffset(text, bad.index);
      const code = bad[0].codePointAt(0) ?? 0;
      throw new YamlSyntaxError(
        undefined,
        undefined,
        `unacceptable character #x${code.toString(16).padStart(4, '0')}: special characters are not allowed`,
        position,
        'reader',
      );
    }
    this.buffer = text;
    this.fetchStreamStart();
  }

  private markAtOffset(text: string, offset: number): Mark {
    let line = 0;
    let column = 0;
    for (let i = 0; i < offset; i += 1) {
      const ch = text[i] ?? '';
      if (ch === '\n' || ch === '\x85' || ch === '\u2028' || ch === '\u2029' || (ch === '\r' && text[i + 1] !== '\n')) {
        line += 1;
        column = 0;
      } else if (ch !== '\uFEFF' && !(ch >= '\uDC00' && ch <= '\uDFFF')) column += 1;
    }
    return { line, column };
  }

  // ---- Reader -------------------------------------------------------------------------------------------------

  private peek(index = 0): string {
    return this.buffer[this.pointer + index] ?? '\0';
  }

  private prefix(length = 1): string {
    return this.buffer.slice(this.pointer, this.pointer + length);
  }

  private forward(length = 1): void {
    const buffer = this.buffer;
    while (length > 0) {
      const ch = buffer[this.pointer] ?? '\0';
      this.pointer += 1;
      if (ch === '\n' || ch === '\x85' || ch === '\u2028' || ch === '\u2029' || (ch === '\r' && buffer[this.pointer] !== '\n')) {
        this.line += 1;
        this.column = 0;
        this.index += 1;
      } else if (ch >= '\uDC00' && ch <= '\uDFFF') {
        // second half of a surrogate pair: one code point already counted
      } else {
        this.index += 1;
        if (ch !== '\uFEFF') this.column += 1;
      }
      length -= 1;
    }
  }

  private lastMark: Mark = { line: 0, column: 0 };

  /** The current position; marks are immutable, so consecutive calls at one position share one object. */
  getMark(): Mark {
    const last = this.lastMark;
    if (last.line === this.line && last.column === this.column) return last;
    const mark = { line: this.line, column: this.column };
    this.lastMark = mark;
    return mark;
  }

  // ---- Public API ---------------------------------------------------------------------------------------------

  /** True when the next token is one of the given kinds (up to four, to avoid allocating on this hot path). */
  checkToken(a: TokenKind, b?: TokenKind, c?: TokenKind, d?: TokenKind): boolean {
    if (!this.settled) this.fillTokens();
    const first = this.tokens[0];
    if (first === undefined) return false;
    const kind = first.kind;
    return kind === a || kind === b || kind === c || kind === d;
  }

  peekToken(): Token | undefined {
    if (!this.settled) this.fillTokens();
    return this.tokens[0];
  }

  getToken(): Token | undefined {
    if (!this.settled) this.fillTokens();
    const token = this.tokens.shift();
    if (token !== undefined) this.tokensTaken += 1;
    this.settled = false;
    return token;
  }

  /**
   * PyYAML's `while self.need_more_tokens(): self.fetch_more_tokens()`, which check_token, peek_token and get_token all
   * start with. Its answer changes only when a token is taken or scanned: until then (`settled`) the parser's many
   * checks of one token skip it.
   */
  private fillTokens(): void {
    while (this.needMoreTokens()) this.fetchMoreTokens();
    this.settled = true;
  }

  // ---- Private ------------------------------------------------------------------------------------------------

  private needMoreTokens(): boolean {
    if (this.done) return false;
    if (this.tokens.length === 0) return true;
    this.stalePossibleSimpleKeys();
    return this.nextPossibleSimpleKey() === this.tokensTaken;
  }

  private fetchMoreTokens(): void {
    this.scanToNextToken();
    this.stalePossibleSimpleKeys();
    this.unwindIndent(this.column);
    const ch = this.peek();
    if (ch === '\0') return this.fetchStreamEnd();
    if (ch === '%' && this.checkDirective()) return this.fetchDirective();
    if (ch === '-' && this.checkDocumentStart()) return this.fetchDocumentIndicator('document-start');
    if (ch === '.' && this.checkDocumentEnd()) return this.fetchDocumentIndicator('document-end');
    if (ch === '[') return this.fetchFlowCollectionStart('flow-sequence-start');
    if (ch === '{') return this.fetchFlowCollectionStart('flow-mapping-start');
    if (ch === ']') return this.fetchFlowCollectionEnd('flow-sequence-end');
    if (ch === '}') return this.fetchFlowCollectionEnd('flow-mapping-end');
    if (ch === ',') return this.fetchFlowEntry();
    if (ch === '-' && this.checkBlockEntry()) return this.fetchBlockEntry();
    if (ch === '?' && this.checkKey()) return this.fetchKey();
    if (ch === ':' && this.checkValue()) return this.fetchValue();
    if (ch === '*') return this.fetchAnchorOrAlias('alias');
    if (ch === '&') return this.fetchAnchorOrAlias('anchor');
    if (ch === '!') return this.fetchTag();
    if (ch === '|' && this.flowLevel === 0) return this.fetchBlockScalar('|');
    if (ch === '>' && this.flowLevel === 0) return this.fetchBlockScalar('>');
    if (ch === "'") return this.fetchFlowScalar("'");
    if (ch === '"') return this.fetchFlowScalar('"');
    if (this.checkPlain()) return this.fetchPlain();
    throw new YamlSyntaxError('while scanning for the next token', undefined, `found character ${pyRepr(ch)} that cannot start any token`, this.getMark());
  }

  private nextPossibleSimpleKey(): number | undefined {
    if (this.simpleKeyCount === 0) return undefined;
    let min: number | undefined;
    for (const key of this.simpleKeys) {
      if (key.live && (min === undefined || key.tokenNumber < min)) min = key.tokenNumber;
    }
    return min;
  }

  private stalePossibleSimpleKeys(): void {
    if (this.simpleKeyCount === 0) return;
    for (const key of this.simpleKeys) {
      if (key.live && (key.line !== this.line || this.index - key.index > 1024)) {
        if (key.required) throw new YamlSyntaxError('while scanning a simple key', { line: key.line, column: key.column }, "could not find expected ':'", this.getMark());
        key.live = false;
        this.simpleKeyCount -= 1;
      }
    }
  }

  private savePossibleSimpleKey(): void {
    const required = this.flowLevel === 0 && this.indent === this.column;
    if (this.allowSimpleKey) {
      this.removePossibleSimpleKey();
      let key = this.simpleKeys[this.flowLevel];
      if (key === undefined) {
        while (this.simpleKeys.length <= this.flowLevel) {
          this.simpleKeys.push({ live: false, tokenNumber: 0, required: false, index: 0, line: 0, column: 0 });
        }
        key = this.simpleKeys[this.flowLevel] as SimpleKey;
      }
      key.live = true;
      key.tokenNumber = this.tokensTaken + this.tokens.length;
      key.required = required;
      key.index = this.index;
      key.line = this.line;
      key.column = this.column;
      this.simpleKeyCount += 1;
    }
  }

  private removePossibleSimpleKey(): void {
    const key = this.simpleKeys[this.flowLevel];
    if (key !== undefined && key.live) {
      if (key.required) throw new YamlSyntaxError('while scanning a simple key', { line: key.line, column: key.column }, "could not find expected ':'", this.getMark());
      key.live = false;
      this.simpleKeyCount -= 1;
    }
  }

  /** `tokens.insert(index, token)` without Array#splice (which allocates the array of removed elements). */
  private insertToken(index: number, token: Token): void {
    const tokens = this.tokens;
    let i = tokens.length;
    tokens.push(token);
    while (i > index) {
      tokens[i] = tokens[i - 1] as Token;
      i -= 1;
    }
    tokens[index] = token;
  }

  private unwindIndent(column: number): void {
    if (this.flowLevel) return;
    while (this.indent > column) {
      const mark = this.getMark();
      this.indent = this.indents.pop() ?? -1;
      this.tokens.push(tok('block-end', mark, mark));
    }
  }

  private addIndent(column: number): boolean {
    if (this.indent < column) {
      this.indents.push(this.indent);
      this.indent = column;
      return true;
    }
    return false;
  }

  private fetchStreamStart(): void {
    const mark = this.getMark();
    this.tokens.push(tok('stream-start', mark, mark));
  }

  private fetchStreamEnd(): void {
    this.unwindIndent(-1);
    this.removePossibleSimpleKey();
    this.allowSimpleKey = false;
    for (const key of this.simpleKeys) key.live = false;
    this.simpleKeyCount = 0;
    const mark = this.getMark();
    this.tokens.push(tok('stream-end', mark, mark));
    this.done = true;
  }

  private fetchDirective(): void {
    this.unwindIndent(-1);
    this.removePossibleSimpleKey();
    this.allowSimpleKey = false;
    this.tokens.push(this.scanDirective());
  }

  private fetchDocumentIndicator(kind: 'document-start' | 'document-end'): void {
    this.unwindIndent(-1);
    this.removePossibleSimpleKey();
    this.allowSimpleKey = false;
    const start = this.getMark();
    this.forward(3);
    this.tokens.push(tok(kind, start, this.getMark()));
  }

  private fetchFlowCollectionStart(kind: 'flow-sequence-start' | 'flow-mapping-start'): void {
    this.savePossibleSimpleKey();
    this.flowLevel += 1;
    this.allowSimpleKey = true;
    const start = this.getMark();
    this.forward();
    this.tokens.push(tok(kind, start, this.getMark()));
  }

  private fetchFlowCollectionEnd(kind: 'flow-sequence-end' | 'flow-mapping-end'): void {
    this.removePossibleSimpleKey();
    this.flowLevel -= 1;
    this.allowSimpleKey = false;
    const start = this.getMark();
    this.forward();
    this.tokens.push(tok(kind, start, this.getMark()));
  }

  private fetchFlowEntry(): void {
    this.allowSimpleKey = true;
    this.removePossibleSimpleKey();
    const start = this.getMark();
    this.forward();
    this.tokens.push(tok('flow-entry', start, this.getMark()));
  }

  private fetchBlockEntry(): void {
    if (!this.flowLevel) {
      if (!this.allowSimpleKey) throw new YamlSyntaxError(undefined, undefined, 'sequence entries are not allowed here', this.getMark());
      if (this.addIndent(this.column)) {
        const mark = this.getMark();
        this.tokens.push(tok('block-sequence-start', mark, mark));
      }
    }
    this.allowSimpleKey = true;
    this.removePossibleSimpleKey();
    const start = this.getMark();
    this.forward();
    this.tokens.push(tok('block-entry', start, this.getMark()));
  }

  private fetchKey(): void {
    if (!this.flowLevel) {
      if (!this.allowSimpleKey) throw new YamlSyntaxError(undefined, undefined, 'mapping keys are not allowed here', this.getMark());
      if (this.addIndent(this.column)) {
        const mark = this.getMark();
        this.tokens.push(tok('block-mapping-start', mark, mark));
      }
    }
    this.allowSimpleKey = !this.flowLevel;
    this.removePossibleSimpleKey();
    const start = this.getMark();
    this.forward();
    this.tokens.push(tok('key', start, this.getMark()));
  }

  private fetchValue(): void {
    const key = this.simpleKeys[this.flowLevel];
    if (key !== undefined && key.live) {
      key.live = false;
      this.simpleKeyCount -= 1;
      const mark: Mark = { line: key.line, column: key.column };
      this.insertToken(key.tokenNumber - this.tokensTaken, tok('key', mark, mark));
      if (!this.flowLevel && this.addIndent(key.column)) {
        this.insertToken(key.tokenNumber - this.tokensTaken, tok('block-mapping-start', mark, mark));
      }
      this.allowSimpleKey = false;
    } else {
      if (!this.flowLevel && !this.allowSimpleKey) {
        throw new YamlSyntaxError(undefined, undefined, 'mapping values are not allowed here', this.getMark());
      }
      if (!this.flowLevel && this.addIndent(this.column)) {
        const mark = this.getMark();
        this.tokens.push(tok('block-mapping-start', mark, mark));
      }
      this.allowSimpleKey = !this.flowLevel;
      this.removePossibleSimpleKey();
    }
    const start = this.getMark();
    this.forward();
    this.tokens.push(tok('value', start, this.getMark()));
  }

  private fetchAnchorOrAlias(kind: 'anchor' | 'alias'): void {
    this.savePossibleSimpleKey();
    this.allowSimpleKey = false;
    this.tokens.push(this.scanAnchor(kind));
  }

  private fetchTag(): void {
    this.savePossibleSimpleKey();
    this.allowSimpleKey = false;
    this.tokens.push(this.scanTag());
  }

  private fetchBlockScalar(style: '|' | '>'): void {
    this.allowSimpleKey = true;
    this.removePossibleSimpleKey();
    this.tokens.push(this.scanBlockScalar(style));
  }

  private fetchFlowScalar(style: "'" | '"'): void {
    this.savePossibleSimpleKey();
    this.allowSimpleKey = false;
    this.tokens.push(this.scanFlowScalar(style));
  }

  private fetchPlain(): void {
    this.savePossibleSimpleKey();
    this.allowSimpleKey = false;
    this.tokens.push(this.scanPlain());
  }

  private checkDirective(): boolean {
    return this.column === 0;
  }

  private checkDocumentStart(): boolean {
    return this.column === 0 && this.prefix(3) === '---' && isBlankOrEnd(this.peek(3));
  }

  private checkDocumentEnd(): boolean {
    return this.column === 0 && this.prefix(3) === '...' && isBlankOrEnd(this.peek(3));
  }

  private checkBlockEntry(): boolean {
    return isBlankOrEnd(this.peek(1));
  }

  private checkKey(): boolean {
    return this.flowLevel > 0 || isBlankOrEnd(this.peek(1));
  }

  private checkValue(): boolean {
    return this.flowLevel > 0 || isBlankOrEnd(this.peek(1));
  }

  private checkPlain(): boolean {
    const ch = this.peek();
    return (
      !PLAIN_FORBIDDEN_START.includes(ch) ||
      (!isBlankOrEnd(this.peek(1)) && (ch === '-' || (!this.flowLevel && (ch === '?' || ch === ':'))))
    );
  }

  private scanToNextToken(): void {
    if (this.index === 0 && this.peek() === '\uFEFF') this.forward();
    for (;;) {
      while (this.peek() === ' ') this.forward();
      if (this.peek() === '#') {
        while (!isBreakOrEnd(this.peek())) this.forward();
      }
      if (this.scanLineBreak()) {
        if (!this.flowLevel) this.allowSimpleKey = true;
      } else return;
    }
  }

  private scanDirective(): Token {
    const start = this.getMark();
    this.forward();
    const name = this.scanDirectiveName(start);
    let end: Mark;
    let yamlVersion: [number, number] | undefined;
    let tagDirective: [string, string] | undefined;
    if (name === 'YAML') {
      yamlVersion = this.scanYamlDirectiveValue(start);
      end = this.getMark();
    } else if (name === 'TAG') {
      tagDirective = this.scanTagDirectiveValue(start);
      end = this.getMark();
    } else {
      end = this.getMark();
      while (!isBreakOrEnd(this.peek())) this.forward();
    }
    this.scanDirectiveIgnoredLine(start);
    return tok('directive', start, end, undefined, false, undefined, undefined, { name, yamlVersion, tagDirective });
  }

  private scanDirectiveName(start: Mark): string {
    let length = 0;
    let ch = this.peek(length);
    while (isAlnumDashUnderscore(ch)) {
      length += 1;
      ch = this.peek(length);
    }
    if (!length) {
      throw new YamlSyntaxError('while scanning a directive', start, `expected alphabetic or numeric character, but found ${pyRepr(ch)}`, this.getMark());
    }
    const value = this.prefix(length);
    this.forward(length);
    ch = this.peek();
    if (!isSpaceBreakOrEnd(ch)) {
      throw new YamlSyntaxError('while scanning a directive', start, `expected alphabetic or numeric character, but found ${pyRepr(ch)}`, this.getMark());
    }
    return value;
  }

  private scanYamlDirectiveValue(start: Mark): [number, number] {
    while (this.peek() === ' ') this.forward();
    const major = this.scanYamlDirectiveNumber(start);
    if (this.peek() !== '.') {
      throw new YamlSyntaxError('while scanning a directive', start, `expected a digit or '.', but found ${pyRepr(this.peek())}`, this.getMark());
    }
    this.forward();
    const minor = this.scanYamlDirectiveNumber(start);
    if (!isSpaceBreakOrEnd(this.peek())) {
      throw new YamlSyntaxError('while scanning a directive', start, `expected a digit or ' ', but found ${pyRepr(this.peek())}`, this.getMark());
    }
    return [major, minor];
  }

  private scanYamlDirectiveNumber(start: Mark): number {
    const ch = this.peek();
    if (!(ch >= '0' && ch <= '9')) throw new YamlSyntaxError('while scanning a directive', start, `expected a digit, but found ${pyRepr(ch)}`, this.getMark());
    let length = 0;
    while (this.peek(length) >= '0' && this.peek(length) <= '9') length += 1;
    const value = Number.parseInt(this.prefix(length), 10);
    this.forward(length);
    return value;
  }

  private scanTagDirectiveValue(start: Mark): [string, string] {
    while (this.peek() === ' ') this.forward();
    const handle = this.scanTagHandle('directive', start);
    if (this.peek() !== ' ') throw new YamlSyntaxError('while scanning a directive', start, `expected ' ', but found ${pyRepr(this.peek())}`, this.getMark());
    while (this.peek() === ' ') this.forward();
    const prefix = this.scanTagUri('directive', start);
    if (!isSpaceBreakOrEnd(this.peek())) {
      throw new YamlSyntaxError('while scanning a directive', start, `expected ' ', but found ${pyRepr(this.peek())}`, this.getMark());
    }
    return [handle, prefix];
  }

  private scanDirectiveIgnoredLine(start: Mark): void {
    while (this.peek() === ' ') this.forward();
    if (this.peek() === '#') {
      while (!isBreakOrEnd(this.peek())) this.forward();
    }
    const ch = this.peek();
    if (!isBreakOrEnd(ch)) {
      throw new YamlSyntaxError('while scanning a directive', start, `expected a comment or a line break, but found ${pyRepr(ch)}`, this.getMark());
    }
    this.scanLineBreak();
  }

  private scanAnchor(kind: 'anchor' | 'alias'): Token {
    const start = this.getMark();
    const name = kind === 'alias' ? 'alias' : 'anchor';
    this.forward();
    let length = 0;
    let ch = this.peek(length);
    while (isAlnumDashUnderscore(ch)) {
      length += 1;
      ch = this.peek(length);
    }
    if (!length) {
      throw new YamlSyntaxError(`while scanning an ${name}`, start, `expected alphabetic or numeric character, but found ${pyRepr(ch)}`, this.getMark());
    }
    const value = this.prefix(length);
    this.forward(length);
    ch = this.peek();
    if (!(isBlankOrEnd(ch) || '?:,]}%@`'.includes(ch))) {
      throw new YamlSyntaxError(`while scanning an ${name}`, start, `expected alphabetic or numeric character, but found ${pyRepr(ch)}`, this.getMark());
    }
    return tok(kind, start, this.getMark(), value);
  }

  private scanTag(): Token {
    const start = this.getMark();
    let ch = this.peek(1);
    let handle: string | null;
    let suffix: string;
    if (ch === '<') {
      handle = null;
      this.forward(2);
      suffix = this.scanTagUri('tag', start);
      if (this.peek() !== '>') throw new YamlSyntaxError('while parsing a tag', start, `expected '>', but found ${pyRepr(this.peek())}`, this.getMark());
      this.forward();
    } else if (isBlankOrEnd(ch)) {
      handle = null;
      suffix = '!';
      this.forward();
    } else {
      let length = 1;
      let useHandle = false;
      while (!isSpaceBreakOrEnd(ch)) {
        if (ch === '!') {
          useHandle = true;
          break;
        }
        length += 1;
        ch = this.peek(length);
      }
      if (useHandle) handle = this.scanTagHandle('tag', start);
      else {
        handle = '!';
        this.forward();
      }
      suffix = this.scanTagUri('tag', start);
    }
    ch = this.peek();
    if (!isSpaceBreakOrEnd(ch)) throw new YamlSyntaxError('while scanning a tag', start, `expected ' ', but found ${pyRepr(ch)}`, this.getMark());
    return tok('tag', start, this.getMark(), undefined, false, undefined, [handle, suffix]);
  }

  private scanBlockScalar(style: '|' | '>'): Token {
    const folded = style === '>';
    const chunks: string[] = [];
    const start = this.getMark();
    this.forward();
    const [chomping, increment] = this.scanBlockScalarIndicators(start);
    this.scanBlockScalarIgnoredLine(start);
    let minIndent = this.indent + 1;
    if (minIndent < 1) minIndent = 1;
    let breaks: string[];
    let end: Mark;
    let indent: number;
    if (increment === undefined) {
      const [b, maxIndent, e] = this.scanBlockScalarIndentation();
      breaks = b;
      end = e;
      indent = Math.max(minIndent, maxIndent);
    } else {
      indent = minIndent + increment - 1;
      [breaks, end] = this.scanBlockScalarBreaks(indent);
    }
    let lineBreak = '';
    while (this.column === indent && this.peek() !== '\0') {
      pushAll(chunks, breaks);
      const leadingNonSpace = this.peek() !== ' ' && this.peek() !== '\t';
      let length = 0;
      while (!isBreakOrEnd(this.peek(length))) length += 1;
      chunks.push(this.prefix(length));
      this.forward(length);
      lineBreak = this.scanLineBreak();
      [breaks, end] = this.scanBlockScalarBreaks(indent);
      if (this.column === indent && this.peek() !== '\0') {
        if (folded && lineBreak === '\n' && leadingNonSpace && this.peek() !== ' ' && this.peek() !== '\t') {
          if (breaks.length === 0) chunks.push(' ');
        } else chunks.push(lineBreak);
      } else break;
    }
    if (chomping !== false) chunks.push(lineBreak);
    if (chomping === true) pushAll(chunks, breaks);
    return tok('scalar', start, end, chunks.join(''), false, style);
  }

  private scanBlockScalarIndicators(start: Mark): [boolean | undefined, number | undefined] {
    let chomping: boolean | undefined;
    let increment: number | undefined;
    let ch = this.peek();
    if (ch === '+' || ch === '-') {
      chomping = ch === '+';
      this.forward();
      ch = this.peek();
      if (ch >= '0' && ch <= '9') {
        increment = Number(ch);
        if (increment === 0) {
          throw new YamlSyntaxError('while scanning a block scalar', start, 'expected indentation indicator in the range 1-9, but found 0', this.getMark());
        }
        this.forward();
      }
    } else if (ch >= '0' && ch <= '9') {
      increment = Number(ch);
      if (increment === 0) {
        throw new YamlSyntaxError('while scanning a block scalar', start, 'expected indentation indicator in the range 1-9, but found 0', this.getMark());
      }
      this.forward();
      ch = this.peek();
      if (ch === '+' || ch === '-') {
        chomping = ch === '+';
        this.forward();
      }
    }
    ch = this.peek();
    if (!isSpaceBreakOrEnd(ch)) {
      throw new YamlSyntaxError('while scanning a block scalar', start, `expected chomping or indentation indicators, but found ${pyRepr(ch)}`, this.getMark());
    }
    return [chomping, increment];
  }

  private scanBlockScalarIgnoredLine(start: Mark): void {
    while (this.peek() === ' ') this.forward();
    if (this.peek() === '#') {
      while (!isBreakOrEnd(this.peek())) this.forward();
    }
    const ch = this.peek();
    if (!isBreakOrEnd(ch)) {
      throw new YamlSyntaxError('while scanning a block scalar', start, `expected a comment or a line break, but found ${pyRepr(ch)}`, this.getMark());
    }
    this.scanLineBreak();
  }

  private scanBlockScalarIndentation(): [string[], number, Mark] {
    const chunks: string[] = [];
    let maxIndent = 0;
    let end = this.getMark();
    while (this.peek() === ' ' || isBreak(this.peek())) {
      if (this.peek() !== ' ') {
        chunks.push(this.scanLineBreak());
        end = this.getMark();
      } else {
        this.forward();
        if (this.column > maxIndent) maxIndent = this.column;
      }
    }
    return [chunks, maxIndent, end];
  }

  private scanBlockScalarBreaks(indent: number): [string[], Mark] {
    const chunks: string[] = [];
    let end = this.getMark();
    while (this.column < indent && this.peek() === ' ') this.forward();
    while (isBreak(this.peek())) {
      chunks.push(this.scanLineBreak());
      end = this.getMark();
      while (this.column < indent && this.peek() === ' ') this.forward();
    }
    return [chunks, end];
  }

  private scanFlowScalar(style: "'" | '"'): Token {
    const double = style === '"';
    const chunks: string[] = [];
    const start = this.getMark();
    const quote = this.peek();
    this.forward();
    this.scanFlowScalarNonSpaces(double, start, chunks);
    while (this.peek() !== quote) {
      this.scanFlowScalarSpaces(double, start, chunks);
      this.scanFlowScalarNonSpaces(double, start, chunks);
    }
    this.forward();
    return tok('scalar', start, this.getMark(), chunks.join(''), false, style);
  }

  private scanFlowScalarNonSpaces(double: boolean, start: Mark, chunks: string[]): void {
    for (;;) {
      let length = 0;
      for (;;) {
        const c = this.peek(length);
        if (c === "'" || c === '"' || c === '\\' || isBlankOrEnd(c)) break;
        length += 1;
      }
      if (length) {
        chunks.push(this.prefix(length));
        this.forward(length);
      }
      let ch = this.peek();
      if (!double && ch === "'" && this.peek(1) === "'") {
        chunks.push("'");
        this.forward(2);
      } else if ((double && ch === "'") || (!double && (ch === '"' || ch === '\\'))) {
        chunks.push(ch);
        this.forward();
      } else if (double && ch === '\\') {
        this.forward();
        ch = this.peek();
        const replacement = ESCAPE_REPLACEMENTS[ch];
        const codeLength = ESCAPE_CODES[ch];
        if (replacement !== undefined) {
          chunks.push(replacement);
          this.forward();
        } else if (codeLength !== undefined) {
          this.forward();
          for (let k = 0; k < codeLength; k += 1) {
            if (!isHex(this.peek(k))) {
              throw new YamlSyntaxError(
                'while scanning a double-quoted scalar',
                start,
                `expected escape sequence of ${codeLength} hexadecimal numbers, but found ${pyRepr(this.peek(k))}`,
                this.getMark(),
              );
            }
          }
          const code = Number.parseInt(this.prefix(codeLength), 16);
          if (code > 0x10ffff) {
            // Python's chr() raises ValueError here: SPA stops all the same.
            throw new YamlSyntaxError('while scanning a double-quoted scalar', start, `escape \\${ch}${this.prefix(codeLength)} is not a valid character (chr() arg not in range(0x110000))`, this.getMark());
          }
          chunks.push(String.fromCodePoint(code));
          this.forward(codeLength);
        } else if (isBreak(ch)) {
          this.scanLineBreak();
          this.scanFlowScalarBreaks(start, chunks);
        } else {
          throw new YamlSyntaxError('while scanning a double-quoted scalar', start, `found unknown escape character ${pyRepr(ch)}`, this.getMark());
        }
      } else return;
    }
  }

  private scanFlowScalarSpaces(_double: boolean, start: Mark, chunks: string[]): void {
    let length = 0;
    while (this.peek(length) === ' ' || this.peek(length) === '\t') length += 1;
    const whitespaces = this.prefix(length);
    this.forward(length);
    const ch = this.peek();
    if (ch === '\0') throw new YamlSyntaxError('while scanning a quoted scalar', start, 'found unexpected end of stream', this.getMark());
    if (isBreak(ch)) {
      const lineBreak = this.scanLineBreak();
      const breaks: string[] = [];
      this.scanFlowScalarBreaks(start, breaks);
      if (lineBreak !== '\n') chunks.push(lineBreak);
      else if (breaks.length === 0) chunks.push(' ');
      pushAll(chunks, breaks);
    } else chunks.push(whitespaces);
  }

  private scanFlowScalarBreaks(start: Mark, chunks: string[]): void {
    for (;;) {
      const prefix = this.prefix(3);
      if ((prefix === '---' || prefix === '...') && isBlankOrEnd(this.peek(3))) {
        throw new YamlSyntaxError('while scanning a quoted scalar', start, 'found unexpected document separator', this.getMark());
      }
      while (this.peek() === ' ' || this.peek() === '\t') this.forward();
      if (isBreak(this.peek())) chunks.push(this.scanLineBreak());
      else return;
    }
  }

  private scanPlain(): Token {
    let value = '';
    const start = this.getMark();
    let end = start;
    const indent = this.indent + 1;
    let spaces: string | undefined = '';
    const flow = this.flowLevel > 0;
    const buffer = this.buffer;
    for (;;) {
      let length = 0;
      if (this.peek() === '#') break;
      for (;;) {
        const ch = buffer[this.pointer + length] ?? '\0';
        if (isBlankOrEnd(ch)) break;
        if (ch === ':') {
          const next = buffer[this.pointer + length + 1] ?? '\0';
          if (isBlankOrEnd(next) || (flow && (next === ',' || next === '[' || next === ']' || next === '{' || next === '}'))) break;
        }
        if (flow && (ch === ',' || ch === '?' || ch === '[' || ch === ']' || ch === '{' || ch === '}')) break;
        length += 1;
      }
      if (length === 0) break;
      this.allowSimpleKey = false;
      value += spaces + buffer.slice(this.pointer, this.pointer + length);
      this.forward(length);
      end = this.getMark();
      spaces = this.scanPlainSpaces();
      if (spaces === undefined || spaces === '' || this.peek() === '#' || (!flow && this.column < indent)) break;
    }
    return tok('scalar', start, end, value, true);
  }

  /** The folded spaces and line breaks after a plain scalar line; undefined where PyYAML returns None (a document separator follows). */
  private scanPlainSpaces(): string | undefined {
    let length = 0;
    while (this.peek(length) === ' ') length += 1;
    const whitespaces = this.prefix(length);
    this.forward(length);
    const ch = this.peek();
    if (isBreak(ch)) {
      const lineBreak = this.scanLineBreak();
      this.allowSimpleKey = true;
      let prefix = this.prefix(3);
      if ((prefix === '---' || prefix === '...') && isBlankOrEnd(this.peek(3))) return undefined;
      let breaks = '';
      while (this.peek() === ' ' || isBreak(this.peek())) {
        if (this.peek() === ' ') this.forward();
        else {
          breaks += this.scanLineBreak();
          prefix = this.prefix(3);
          if ((prefix === '---' || prefix === '...') && isBlankOrEnd(this.peek(3))) return undefined;
        }
      }
      let chunks = '';
      if (lineBreak !== '\n') chunks += lineBreak;
      else if (breaks === '') chunks += ' ';
      return chunks + breaks;
    }
    return whitespaces;
  }

  private scanTagHandle(name: string, start: Mark): string {
    let ch = this.peek();
    if (ch !== '!') throw new YamlSyntaxError(`while scanning a ${name}`, start, `expected '!', but found ${pyRepr(ch)}`, this.getMark());
    let length = 1;
    ch = this.peek(length);
    if (ch !== ' ') {
      while (isAlnumDashUnderscore(ch)) {
        length += 1;
        ch = this.peek(length);
      }
      if (ch !== '!') {
        this.forward(length);
        throw new YamlSyntaxError(`while scanning a ${name}`, start, `expected '!', but found ${pyRepr(ch)}`, this.getMark());
      }
      length += 1;
    }
    const value = this.prefix(length);
    this.forward(length);
    return value;
  }

  private scanTagUri(name: string, start: Mark): string {
    const chunks: string[] = [];
    let length = 0;
    let ch = this.peek(length);
    while ((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch !== '\0' && URI_CHARS.includes(ch))) {
      if (ch === '%') {
        chunks.push(this.prefix(length));
        this.forward(length);
        length = 0;
        chunks.push(this.scanUriEscapes(name, start));
      } else length += 1;
      ch = this.peek(length);
    }
    if (length) {
      chunks.push(this.prefix(length));
      this.forward(length);
    }
    if (chunks.length === 0) throw new YamlSyntaxError(`while parsing a ${name}`, start, `expected URI, but found ${pyRepr(ch)}`, this.getMark());
    return chunks.join('');
  }

  private scanUriEscapes(name: string, start: Mark): string {
    const codes: number[] = [];
    const mark = this.getMark();
    while (this.peek() === '%') {
      this.forward();
      for (let k = 0; k < 2; k += 1) {
        if (!isHex(this.peek(k))) {
          throw new YamlSyntaxError(
            `while scanning a ${name}`,
            start,
            `expected URI escape sequence of 2 hexadecimal numbers, but found ${pyRepr(this.peek(k))}`,
            this.getMark(),
          );
        }
      }
      codes.push(Number.parseInt(this.prefix(2), 16));
      this.forward(2);
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(codes));
    } catch {
      throw new YamlSyntaxError(`while scanning a ${name}`, start, "'utf-8' codec can't decode the URI escape", mark);
    }
  }

  private scanLineBreak(): string {
    const ch = this.peek();
    if (ch === '\r' || ch === '\n' || ch === '\x85') {
      if (ch === '\r' && this.peek(1) === '\n') this.forward(2);
      else this.forward();
      return '\n';
    }
    if (ch === '\u2028' || ch === '\u2029') {
      this.forward();
      return ch;
    }
    return '';
  }
}
