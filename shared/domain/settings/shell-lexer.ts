/**
 * Words and operators of one bash statement, for reading variables.sh without running it.
 *
 * Why this exists: sh-syntax (mvdan/sh in WASM) checks the syntax and gives the range of each top-level statement,
 * but its JSON keeps only positions below a statement (no assignments, no word parts). This lexer splits the text
 * of a statement that mvdan/sh already accepted into words (with their quoting and expansions) and operators, and
 * a statement into simple commands. It follows bash's tokenizing rules for what matters here (quotes, escapes,
 * `$...` expansions, comments, here-documents, `NAME=(...)` arrays); on anything it does not follow exactly it errs
 * towards "not a literal". It never throws and never runs anything.
 */

export type WordPart =
  /** Unquoted text, backslash escapes resolved. */
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'single-quoted'; readonly value: string }
  /** `"..."`: `parts` are literal text and the expansions inside. */
  | { readonly kind: 'double-quoted'; readonly parts: readonly WordPart[] }
  /** `$'...'` (escapes are interpreted by bash: not read as a literal here). */
  | { readonly kind: 'ansi-c-quoted'; readonly raw: string }
  /** `$"..."` (translated by bash: not read as a literal here). */
  | { readonly kind: 'locale-quoted'; readonly raw: string }
  /** `$name`, `${...}` */
  | { readonly kind: 'parameter'; readonly raw: string }
  /** `$(...)` or a backquoted command */
  | { readonly kind: 'command-substitution'; readonly raw: string }
  /** `$((...))` */
  | { readonly kind: 'arithmetic'; readonly raw: string }
  /** `<(...)` or `>(...)` */
  | { readonly kind: 'process-substitution'; readonly raw: string }
  /** `(a b c)` after `NAME=` */
  | { readonly kind: 'array'; readonly raw: string };

export interface ShellWord {
  readonly kind: 'word';
  /** The word as written. */
  readonly raw: string;
  /** UTF-16 index of the first character in the whole text, and one past the last. */
  readonly start: number;
  readonly end: number;
  readonly parts: readonly WordPart[];
}

export interface ShellOperator {
  readonly kind: 'operator';
  /** `;`, `&&`, `|`, `>`, `<<`, `(`, a newline as `\n`, ... */
  readonly op: string;
  readonly start: number;
  readonly end: number;
}

export type ShellToken = ShellWord | ShellOperator;

/** Operators, longest first. */
const OPERATORS = [';;&', ';;', ';&', ';', '&&', '&>>', '&>', '&', '||', '|&', '|', '<<<', '<<-', '<<', '<&', '<>', '<', '>>', '>&', '>|', '>', '(', ')'];
const REDIRECTIONS = new Set(['<', '>', '>>', '>|', '<>', '<&', '>&', '&>', '&>>', '<<<', '<<', '<<-']);
const BLANK = /[ \t]/;
const WORD_END = /[ \t\n;&|<>()]/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const SPECIAL_PARAMETER = /[0-9@*#?$!-]/;

/** Tokens of `text` between `start` and `end` (UTF-16 indices). */
export function lexShell(text: string, start = 0, end = text.length): ShellToken[] {
  return new Lexer(text, start, Math.min(end, text.length)).run();
}

class Lexer {
  private i: number;
  private readonly tokens: ShellToken[] = [];
  private readonly pendingHeredocs: { delimiter: string; stripTabs: boolean }[] = [];

  constructor(
    private readonly text: string,
    start: number,
    private readonly end: number,
  ) {
    this.i = Math.max(0, start);
  }

  run(): ShellToken[] {
    const text = this.text;
    let guard = 0;
    while (this.i < this.end && guard++ < this.end * 4 + 16) {
      const ch = text[this.i] ?? '';
      if (BLANK.test(ch)) {
        this.i += 1;
        continue;
      }
      if (ch === '\\' && text[this.i + 1] === '\n') {
        this.i += 2;
        continue;
      }
      if (ch === '#') {
        while (this.i < this.end && text[this.i] !== '\n') this.i += 1;
        continue;
      }
      if (ch === '\n') {
        this.tokens.push({ kind: 'operator', op: '\n', start: this.i, end: this.i + 1 });
        this.i += 1;
        this.skipHeredocBodies();
        continue;
      }
      if ((ch === '<' || ch === '>') && text[this.i + 1] === '(') {
        this.word();
        continue;
      }
      const op = OPERATORS.find((o) => text.startsWith(o, this.i) && this.i + o.length <= this.end);
      if (op !== undefined) {
        this.tokens.push({ kind: 'operator', op, start: this.i, end: this.i + op.length });
        this.i += op.length;
        if (op === '<<' || op === '<<-') this.heredocDelimiter(op === '<<-');
        continue;
      }
      this.word();
    }
    return this.tokens;
  }

  /** After `<<`: the next word is the delimiter; the body starts after the next newline. */
  private heredocDelimiter(stripTabs: boolean): void {
    while (this.i < this.end && BLANK.test(this.text[this.i] ?? '')) this.i += 1;
    const before = this.tokens.length;
    if (this.i >= this.end || WORD_END.test(this.text[this.i] ?? '')) return;
    this.word();
    const word = this.tokens[before];
    if (word?.kind !== 'word') return;
    this.pendingHeredocs.push({ delimiter: unquotedText(word.parts), stripTabs });
  }

  private skipHeredocBodies(): void {
    while (this.pendingHeredocs.length > 0) {
      const heredoc = this.pendingHeredocs.shift();
      if (heredoc === undefined) return;
      while (this.i < this.end) {
        const lineEnd = this.text.indexOf('\n', this.i);
        const stop = lineEnd === -1 || lineEnd > this.end ? this.end : lineEnd;
        let line = this.text.slice(this.i, stop);
        if (heredoc.stripTabs) line = line.replace(/^\t+/, '');
        this.i = stop === this.end ? this.end : stop + 1;
        if (line === heredoc.delimiter) break;
      }
    }
  }

  private word(): void {
    const start = this.i;
    const parts: WordPart[] = [];
    let literal = '';
    const flush = (): void => {
      if (literal !== '') parts.push({ kind: 'literal', value: literal });
      literal = '';
    };
    const text = this.text;
    while (this.i < this.end) {
      const ch = text[this.i] ?? '';
      if (ch === '(' && parts.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=$/.test(literal)) {
        // NAME=( ... ): an array assignment
        flush();
        const close = this.skipBalanced(this.i + 1, '(', ')');
        parts.push({ kind: 'array', raw: text.slice(this.i, close) });
        this.i = close;
        continue;
      }
      if ((ch === '<' || ch === '>') && text[this.i + 1] === '(' && this.i === start) {
        const close = this.skipBalanced(this.i + 2, '(', ')');
        parts.push({ kind: 'process-substitution', raw: text.slice(this.i, close) });
        this.i = close;
        continue;
      }
      if (WORD_END.test(ch)) break;
      if (ch === '\\') {
        const next = text[this.i + 1];
        if (next === undefined || this.i + 1 >= this.end) {
          literal += '\\';
          this.i += 1;
        } else if (next === '\n') this.i += 2;
        else {
          literal += next;
          this.i += 2;
        }
        continue;
      }
      if (ch === "'") {
        flush();
        const close = this.indexOrEnd("'", this.i + 1);
        parts.push({ kind: 'single-quoted', value: text.slice(this.i + 1, close) });
        this.i = Math.min(close + 1, this.end);
        continue;
      }
      if (ch === '"') {
        flush();
        this.i += 1;
        parts.push({ kind: 'double-quoted', parts: this.doubleQuoted() });
        continue;
      }
      if (ch === '`') {
        flush();
        const close = this.skipBackquoted(this.i + 1);
        parts.push({ kind: 'command-substitution', raw: text.slice(this.i, close) });
        this.i = close;
        continue;
      }
      if (ch === '$') {
        const expansion = this.dollar();
        if (expansion !== undefined) {
          flush();
          parts.push(expansion);
          continue;
        }
        literal += '$';
        this.i += 1;
        continue;
      }
      literal += ch;
      this.i += 1;
    }
    flush();
    if (this.i === start) {
      // a character no rule consumed: take it alone so the lexer always moves on
      this.i += 1;
      parts.push({ kind: 'literal', value: text[start] ?? '' });
    }
    this.tokens.push({ kind: 'word', raw: text.slice(start, this.i), start, end: this.i, parts });
  }

  /** After an opening `"`: parts up to and past the closing `"`. */
  private doubleQuoted(): WordPart[] {
    const parts: WordPart[] = [];
    let literal = '';
    const text = this.text;
    while (this.i < this.end) {
      const ch = text[this.i] ?? '';
      if (ch === '"') {
        this.i += 1;
        break;
      }
      if (ch === '\\') {
        const next = text[this.i + 1] ?? '';
        if (next === '\n') this.i += 2;
        else if ('$`"\\'.includes(next) && next !== '') {
          literal += next;
          this.i += 2;
        } else {
          literal += '\\';
          this.i += 1;
        }
        continue;
      }
      if (ch === '`') {
        if (literal) parts.push({ kind: 'literal', value: literal });
        literal = '';
        const close = this.skipBackquoted(this.i + 1);
        parts.push({ kind: 'command-substitution', raw: text.slice(this.i, close) });
        this.i = close;
        continue;
      }
      if (ch === '$') {
        const expansion = this.dollar(true);
        if (expansion !== undefined) {
          if (literal) parts.push({ kind: 'literal', value: literal });
          literal = '';
          parts.push(expansion);
          continue;
        }
      }
      literal += ch;
      this.i += 1;
    }
    if (literal) parts.push({ kind: 'literal', value: literal });
    return parts;
  }

  /** At a `$`: the expansion it starts (and moves past it), or undefined for a plain `$`. */
  private dollar(inDoubleQuotes = false): WordPart | undefined {
    const text = this.text;
    const start = this.i;
    const next = text[start + 1] ?? '';
    if (start + 1 >= this.end) return undefined;
    if (next === '(' && text[start + 2] === '(') {
      const close = this.skipBalanced(start + 2, '(', ')');
      this.i = close;
      return { kind: 'arithmetic', raw: text.slice(start, close) };
    }
    if (next === '(') {
      const close = this.skipBalanced(start + 2, '(', ')');
      this.i = close;
      return { kind: 'command-substitution', raw: text.slice(start, close) };
    }
    if (next === '{') {
      const close = this.skipBalanced(start + 2, '{', '}');
      this.i = close;
      return { kind: 'parameter', raw: text.slice(start, close) };
    }
    if (next === '[') {
      // $[...]: old arithmetic
      const close = this.skipBalanced(start + 2, '[', ']');
      this.i = close;
      return { kind: 'arithmetic', raw: text.slice(start, close) };
    }
    if (!inDoubleQuotes && next === "'") {
      let j = start + 2;
      while (j < this.end && text[j] !== "'") j += text[j] === '\\' ? 2 : 1;
      this.i = Math.min(j + 1, this.end);
      return { kind: 'ansi-c-quoted', raw: text.slice(start, this.i) };
    }
    if (!inDoubleQuotes && next === '"') {
      this.i = start + 2;
      this.doubleQuoted();
      return { kind: 'locale-quoted', raw: text.slice(start, this.i) };
    }
    const name = NAME.exec(text.slice(start + 1, Math.min(this.end, start + 257)));
    if (name) {
      this.i = start + 1 + name[0].length;
      return { kind: 'parameter', raw: text.slice(start, this.i) };
    }
    if (SPECIAL_PARAMETER.test(next)) {
      this.i = start + 2;
      return { kind: 'parameter', raw: text.slice(start, this.i) };
    }
    return undefined;
  }

  /** From just after an opening bracket: the index just past its matching closer (quotes and nesting respected). */
  private skipBalanced(from: number, open: string, close: string): number {
    const text = this.text;
    let depth = 1;
    let j = from;
    while (j < this.end) {
      const ch = text[j];
      if (ch === '\\') j += 2;
      else if (ch === "'") j = this.indexOrEnd("'", j + 1) + 1;
      else if (ch === '"') j = this.skipDoubleQuotedFrom(j + 1);
      else if (ch === '`') j = this.skipBackquoted(j + 1);
      else if (ch === open) {
        depth += 1;
        j += 1;
      } else if (ch === close) {
        depth -= 1;
        j += 1;
        if (depth === 0) return j;
      } else if (ch === '$' && (text[j + 1] === '(' || text[j + 1] === '{')) {
        const inner = text[j + 1] === '(' ? this.skipBalanced(j + 2, '(', ')') : this.skipBalanced(j + 2, '{', '}');
        j = inner;
      } else j += 1;
    }
    return this.end;
  }

  private skipDoubleQuotedFrom(from: number): number {
    const text = this.text;
    let j = from;
    while (j < this.end) {
      const ch = text[j];
      if (ch === '\\') j += 2;
      else if (ch === '"') return j + 1;
      else if (ch === '`') j = this.skipBackquoted(j + 1);
      else if (ch === '$' && (text[j + 1] === '(' || text[j + 1] === '{')) {
        j = text[j + 1] === '(' ? this.skipBalanced(j + 2, '(', ')') : this.skipBalanced(j + 2, '{', '}');
      } else j += 1;
    }
    return this.end;
  }

  /** From just after an opening backquote: the index just past the closing one. */
  private skipBackquoted(from: number): number {
    let j = from;
    while (j < this.end) {
      const ch = this.text[j];
      if (ch === '\\') j += 2;
      else if (ch === '`') return j + 1;
      else j += 1;
    }
    return this.end;
  }

  private indexOrEnd(needle: string, from: number): number {
    const at = this.text.indexOf(needle, from);
    return at === -1 || at >= this.end ? this.end : at;
  }
}

/** The text of a word without its quotes, expansions kept as written (for here-document delimiters). */
export function unquotedText(parts: readonly WordPart[]): string {
  return parts
    .map((p) => {
      switch (p.kind) {
        case 'literal':
        case 'single-quoted':
          return p.value;
        case 'double-quoted':
          return unquotedText(p.parts);
        default:
          return p.raw;
      }
    })
    .join('');
}

/** The value of a word made only of literal text and quotes; undefined when any part is expanded by bash. */
export function literalValue(parts: readonly WordPart[]): string | undefined {
  let value = '';
  for (const part of parts) {
    if (part.kind === 'literal' || part.kind === 'single-quoted') value += part.value;
    else if (part.kind === 'double-quoted') {
      const inner = literalValue(part.parts);
      if (inner === undefined) return undefined;
      value += inner;
    } else return undefined;
  }
  return value;
}

/** The first expansion in a word (for messages): `$X`, `$(...)`, ... */
export function firstExpansion(parts: readonly WordPart[]): WordPart | undefined {
  for (const part of parts) {
    if (part.kind === 'literal' || part.kind === 'single-quoted') continue;
    if (part.kind === 'double-quoted') {
      const inner = firstExpansion(part.parts);
      if (inner !== undefined) return inner;
      continue;
    }
    return part;
  }
  return undefined;
}

/** One simple command of a statement: its words, the redirections set apart. */
export interface SimpleCommand {
  readonly words: readonly ShellWord[];
  /** Reserved words and operators that came before it in the statement (`if`, `&&`, `{`, ...). */
  readonly after: readonly string[];
}

const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', 'for', 'case', 'esac', 'select', 'function', '{', '}', '!', 'time', 'coproc', '[[', ']]']);

/**
 * The simple commands of a statement's tokens, and whether the statement is one plain simple command
 * (only words and redirections, optionally ended by `;`). Reserved words at command position and operators
 * separate commands; a redirection's target word is dropped.
 */
export function simpleCommands(tokens: readonly ShellToken[]): { commands: SimpleCommand[]; plain: boolean } {
  const commands: SimpleCommand[] = [];
  let words: ShellWord[] = [];
  let after: string[] = [];
  let plain = true;
  let redirectTarget = false;
  const close = (): void => {
    if (words.length > 0) commands.push({ words, after });
    words = [];
  };
  tokens.forEach((token, index) => {
    if (token.kind === 'operator') {
      redirectTarget = REDIRECTIONS.has(token.op);
      if (redirectTarget) return;
      const last = index === tokens.length - 1;
      if (!(last && (token.op === ';' || token.op === '\n'))) plain = false;
      close();
      after = [...after, token.op];
      return;
    }
    if (redirectTarget) {
      redirectTarget = false;
      return;
    }
    const next = tokens[index + 1];
    if (/^(\d+|\{[A-Za-z_][A-Za-z0-9_]*\})$/.test(token.raw) && next?.kind === 'operator' && next.start === token.end && REDIRECTIONS.has(next.op)) {
      return; // the file descriptor of a redirection (`2>&1`, `{fd}>file`)
    }
    const literal = token.parts.length === 1 && token.parts[0]?.kind === 'literal' ? token.parts[0].value : undefined;
    if (words.length === 0 && literal !== undefined && token.raw === literal && RESERVED.has(literal)) {
      plain = false;
      after = [...after, literal];
      return;
    }
    words.push(token);
  });
  close();
  return { commands, plain };
}
