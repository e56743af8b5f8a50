/**
 * `environments/<env>/variables.sh`: the SPA workbook's variables, sourced by bash in the build. spa-cd never runs it;
 * it reads its syntax tree to find the SPA version pin, a literal `CODE_GIT_BRANCH=...` (product.md section 2).
 *
 * The syntax check and the top-level statements come from sh-syntax (mvdan/sh compiled to WASM); shell-lexer.ts
 * reads the words of each statement, which sh-syntax's JSON does not carry. The WASM parser crashes or loops forever
 * on some inputs of a few tens of kilobytes: the size is capped well below, a crash is a diagnostic, and where
 * sh-syntax is installed on disk (CLI, local mode, tests) the parse runs in a worker thread stopped at a deadline.
 * A bundle (Lambda) parses in its own thread, protected by the cap only.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { LangVariant, ParseError, parse as parseBash, type File as ShFile } from 'sh-syntax';
import { ConcurrencyLimit } from '../../support/concurrency-limit';
import type { Diagnostic, Position } from './diagnostics';
import { MANIFEST_CODES, shown, type ManifestCode } from './manifest-codes';
import { firstExpansion, lexShell, literalValue, simpleCommands, type ShellToken, type ShellWord, type WordPart } from './shell-lexer';

export const PIN_VARIABLE = 'CODE_GIT_BRANCH';
/**
 * Largest variables.sh spa-cd analyses. A real one is a few hundred bytes. The WASM parser crashes or loops forever
 * on some inputs from about 20 KiB (6,000 assignments); below 16 KiB no input shape seen so far makes it loop.
 */
export const MAX_VARIABLES_SCRIPT_BYTES = 16 * 1024;
/** Deadline of one parse (worker start and WASM compilation included). */
export const DEFAULT_PARSE_TIMEOUT_MS = 5_000;
/** Parses running at once (each in its own worker thread). */
const MAX_CONCURRENT_PARSES = 2;

export interface ShellParseOptions {
  /** Deadline of a parse in a worker thread. */
  readonly timeoutMs?: number;
  /**
   * `worker`: parse in a worker thread that is stopped at the deadline (needs sh-syntax installed on disk).
   * `in-process`: parse in this thread (what a bundle does: sh-syntax is bundled, no node_modules).
   * `auto` (default): a worker when sh-syntax is on disk, else in this thread.
   */
  readonly isolation?: 'auto' | 'worker' | 'in-process';
  /** Size cap in UTF-8 bytes (default MAX_VARIABLES_SCRIPT_BYTES); raise it only with `isolation: 'worker'`. */
  readonly maxBytes?: number;
}

/** One top-level statement of the script. Indices are UTF-16 indices in the text; line and column are 1-based. */
export interface ShellStatement extends Position {
  readonly start: number;
  readonly end: number;
  /** The statement's source text (here-document bodies included). */
  readonly text: string;
  readonly background: boolean;
  readonly negated: boolean;
  readonly coprocess: boolean;
  /** Words and operators of the statement (shell-lexer.ts). */
  readonly tokens: readonly ShellToken[];
}

export type ShellParse =
  | {
      readonly ok: true;
      /** sh-syntax's tree: top-level statements with positions in UTF-8 bytes (no words below a statement). */
      readonly ast: ShFile;
      readonly statements: readonly ShellStatement[];
      /** Line and column (in characters) of a UTF-16 index of the text. */
      readonly positionOf: (index: number) => Position;
    }
  | { readonly ok: false; readonly diagnostic: Diagnostic };

export interface VariablesPin extends Position {
  readonly value: string;
}

export interface VariablesPinResult {
  readonly diagnostics: Diagnostic[];
  /** The literal CODE_GIT_BRANCH, when variables.sh sets one and nothing about it is in doubt. */
  readonly pin?: VariablesPin;
}

/**
 * Parses of recent scripts by file and content: a plan parses the same variables.sh at base and head, a review
 * parses it again on every revision. Bounded; the oldest parse is dropped first.
 */
const recentParses = new Map<string, Promise<ShellParse>>();
const RECENT_PARSES = 256;

/** Parses a bash script without running it; a syntax error is a diagnostic at its line and column. Never throws. */
export function parseShell(file: string, text: string, options: ShellParseOptions = {}): Promise<ShellParse> {
  const key = `${JSON.stringify([file, options.maxBytes ?? null, options.isolation ?? null])}\n${text}`;
  const known = recentParses.get(key);
  if (known !== undefined) return known;
  const parse = parseShellUncached(file, text, options);
  recentParses.set(key, parse);
  if (recentParses.size > RECENT_PARSES) recentParses.delete(recentParses.keys().next().value ?? '');
  return parse;
}

async function parseShellUncached(file: string, text: string, options: ShellParseOptions): Promise<ShellParse> {
  const positions = new TextPositions(text);
  const fail = (at: Position, code: ManifestCode, message: string, hint: string): ShellParse => ({
    ok: false,
    diagnostic: { file, line: at.line, column: at.column, severity: MANIFEST_CODES[code].severity, code, message, hint },
  });
  const bytes = Buffer.byteLength(text, 'utf8');
  const maxBytes = options.maxBytes ?? MAX_VARIABLES_SCRIPT_BYTES;
  if (bytes > maxBytes) {
    return fail(
      { line: 1, column: 1 },
      'variables-unparsable',
      `${file} is ${bytes} bytes; spa-cd analyses at most ${maxBytes} bytes of shell`,
      'keep variables.sh to variable assignments and move any logic into a script of its own',
    );
  }
  const outcome = await runParser(text, options);
  if (outcome.kind === 'syntax-error') {
    const index = outcome.offset === undefined ? 0 : positions.indexOfByte(outcome.offset);
    return fail(
      positions.positionOf(index),
      'variables-syntax-error',
      `${file} is not valid bash: ${oneLine(outcome.message)}`,
      'fix the syntax (`bash -n variables.sh` shows the same error); the build sources this file and would stop here',
    );
  }
  if (outcome.kind === 'failed') {
    return fail(
      { line: 1, column: 1 },
      'variables-unparsable',
      `${file} could not be analysed: ${oneLine(outcome.reason)}`,
      'keep variables.sh short and plain (variable assignments); if it already is, report this to the spa-cd maintainers',
    );
  }
  const ast = outcome.file;
  const statements: ShellStatement[] = (ast.Stmts ?? []).map((stmt) => {
    const start = positions.indexOfByte(stmt.Pos.Offset);
    const end = positions.indexOfByte(stmt.End.Offset);
    return {
      start,
      end,
      ...positions.positionOf(start),
      text: text.slice(start, end),
      background: stmt.Background === true,
      negated: stmt.Negated === true,
      coprocess: stmt.Coprocess === true,
      tokens: lexShell(text, start, end),
    };
  });
  return { ok: true, ast, statements, positionOf: (index) => positions.positionOf(index) };
}

/** The literal `CODE_GIT_BRANCH` of variables.sh, with diagnostics for every way of setting it spa-cd cannot trust. */
export async function readPinFromVariablesScript(file: string, text: string, options: ShellParseOptions = {}): Promise<VariablesPinResult> {
  const diagnostics: Diagnostic[] = [];
  const report = (at: Position, code: ManifestCode, message: string, hint: string): void => {
    diagnostics.push({ file, line: at.line, column: at.column, severity: MANIFEST_CODES[code].severity, code, message, hint });
  };
  if (text.startsWith('\ufeff')) {
    report(
      { line: 1, column: 1 },
      'variables-byte-order-mark',
      `${file} starts with a UTF-8 byte-order mark: bash reads it as part of the first command, which then fails`,
      'save the file as UTF-8 without BOM',
    );
  }
  let parsed: ShellParse;
  try {
    parsed = await parseShell(file, text, options);
  } catch (error) {
    parsed = {
      ok: false,
      diagnostic: {
        file,
        line: 1,
        column: 1,
        severity: 'error',
        code: 'variables-unparsable',
        message: `${file} could not be analysed: ${oneLine(error instanceof Error ? error.message : String(error))}`,
      },
    };
  }
  if (!parsed.ok) return { diagnostics: [...diagnostics, parsed.diagnostic] };

  let pin: VariablesPin | undefined;
  let doubtful = false;
  for (const finding of findPinAssignments(parsed.statements)) {
    const at = parsed.positionOf(finding.index);
    if (finding.kind === 'not-literal') {
      doubtful = true;
      report(
        at,
        'pin-not-literal',
        `${PIN_VARIABLE} ${finding.reason}; spa-cd reads the pin only from a literal value`,
        `write the version itself (\`export ${PIN_VARIABLE}=v1.2.3\`), or set spa_version in deployment.yaml`,
      );
    } else if (finding.kind === 'not-top-level') {
      doubtful = true;
      report(
        at,
        'pin-not-top-level',
        `${PIN_VARIABLE} is set ${finding.where}; spa-cd reads the pin only from a plain assignment on a line of its own`,
        `write \`export ${PIN_VARIABLE}=v1.2.3\` at the top level, or set spa_version in deployment.yaml`,
      );
    } else if (pin === undefined) {
      pin = { value: finding.value, ...at };
    } else if (pin.value !== finding.value) {
      doubtful = true;
      report(
        at,
        'pin-reassigned',
        `${PIN_VARIABLE} is set again, to ${shown(finding.value)}, after ${shown(pin.value)} at line ${pin.line}`,
        `keep a single ${PIN_VARIABLE} assignment`,
      );
    }
  }
  return { diagnostics, ...(pin !== undefined && !doubtful ? { pin } : {}) };
}

// ---- finding the assignments ----------------------------------------------------------------------------------------

type Finding =
  | { readonly kind: 'literal'; readonly value: string; readonly index: number }
  | { readonly kind: 'not-literal'; readonly reason: string; readonly index: number }
  | { readonly kind: 'not-top-level'; readonly where: string; readonly index: number };

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?(\+?)=/;
const DECLARATIONS = new Set(['export', 'declare', 'typeset', 'readonly', 'local']);
/** Builtins that can set or remove a variable named in their arguments. */
const DYNAMIC = new Set(['eval', 'read', 'readarray', 'mapfile', 'printf', 'let', 'unset', 'getopts', 'source', '.', 'builtin', 'command']);

function assignmentOf(word: ShellWord): { name: string; subscript: boolean; append: boolean; valueParts: WordPart[]; valueIndex: number } | undefined {
  const first = word.parts[0];
  if (first?.kind !== 'literal') return undefined;
  const match = ASSIGNMENT.exec(first.value);
  // a quoted or escaped character in the name makes the word an argument, not an assignment
  if (!match || !word.raw.startsWith(match[0]) || match[1] === undefined) return undefined;
  const rest = first.value.slice(match[0].length);
  const valueParts: WordPart[] = [...(rest === '' ? [] : [{ kind: 'literal' as const, value: rest }]), ...word.parts.slice(1)];
  return { name: match[1], subscript: match[2] !== undefined, append: match[3] === '+', valueParts, valueIndex: word.start + match[0].length };
}

function isAssignment(word: ShellWord): boolean {
  return assignmentOf(word) !== undefined;
}

/** Every place the statements set CODE_GIT_BRANCH, in source order. */
function findPinAssignments(statements: readonly ShellStatement[]): Finding[] {
  const findings: Finding[] = [];
  for (const statement of statements) {
    const { commands, plain } = simpleCommands(statement.tokens);
    const statementWhere = statement.background
      ? 'in the background (&), in a subshell'
      : statement.coprocess
        ? 'in a coprocess'
        : statement.negated
          ? 'in a negated command (!)'
          : undefined;
    for (const command of commands) {
      const where = statementWhere ?? (plain ? undefined : placeOf(command.after, statement.tokens));
      findings.push(...findingsOfCommand(command.words, where));
    }
  }
  return findings.sort((a, b) => a.index - b.index);
}

function placeOf(after: readonly string[], tokens: readonly ShellToken[]): string {
  const has = (...names: string[]): boolean => after.some((a) => names.includes(a));
  if (has('if', 'then', 'elif', 'else')) return 'inside an if';
  if (has('while', 'until', 'for', 'select', 'do')) return 'inside a loop';
  if (has('case', ';;', ';&', ';;&')) return 'inside a case';
  if (has('{', '(', 'function')) return 'inside a function, a group { } or a subshell ( )';
  if (has('|', '|&')) return 'in a pipeline';
  if (has('&&', '||') || tokens.some((t) => t.kind === 'operator' && (t.op === '&&' || t.op === '||'))) return 'in a list (&& or ||) that may skip it';
  return 'in a compound statement';
}

function findingsOfCommand(words: readonly ShellWord[], where: string | undefined): Finding[] {
  const findings: Finding[] = [];
  let k = 0;
  while (k < words.length && isAssignment(words[k] as ShellWord)) k += 1;
  const prefix = words.slice(0, k);
  const command = words[k];
  const args = words.slice(k + 1);
  if (command === undefined) {
    for (const word of prefix) {
      const finding = assignmentFinding(word, where);
      if (finding) findings.push(finding);
    }
    return findings;
  }
  const name = literalValue(command.parts);
  if (name !== undefined && DECLARATIONS.has(name)) {
    for (const word of prefix) {
      if (assignmentOf(word)?.name === PIN_VARIABLE) findings.push({ kind: 'not-top-level', where: `for the command '${name}' only`, index: word.start });
    }
    const options: string[] = [];
    for (const arg of args) {
      const literal = literalValue(arg.parts);
      const assignment = assignmentOf(arg);
      if (assignment === undefined) {
        if (literal !== undefined && /^[-+]/.test(literal)) options.push(literal);
        continue;
      }
      if (assignment.name !== PIN_VARIABLE) continue;
      if (name === 'local') {
        findings.push({ kind: 'not-top-level', where: "with 'local', which only works inside a function", index: arg.start });
        continue;
      }
      const badOption = options.find((o) => (name === 'declare' || name === 'typeset' ? !/^-[xrg]+$/.test(o) : true));
      if (badOption !== undefined) {
        findings.push({ kind: 'not-literal', reason: `is declared with the option ${shown(badOption)}, which changes what the value means`, index: arg.start });
        continue;
      }
      const finding = assignmentFinding(arg, where);
      if (finding) findings.push(finding);
    }
    return findings;
  }
  for (const word of prefix) {
    if (assignmentOf(word)?.name === PIN_VARIABLE) {
      findings.push({ kind: 'not-top-level', where: `for the command ${shown(name ?? command.raw)} only`, index: word.start });
    }
  }
  if (name !== undefined && DYNAMIC.has(name)) {
    const mention = args.find((a) => a.raw.includes(PIN_VARIABLE));
    if (mention !== undefined) findings.push({ kind: 'not-literal', reason: `is set or changed by '${name}'`, index: mention.start });
  }
  return findings;
}

function assignmentFinding(word: ShellWord, where: string | undefined): Finding | undefined {
  const assignment = assignmentOf(word);
  if (assignment === undefined || assignment.name !== PIN_VARIABLE) return undefined;
  const index = assignment.valueIndex;
  if (assignment.subscript) return { kind: 'not-literal', reason: 'is set as an array element', index: word.start };
  if (assignment.append) return { kind: 'not-literal', reason: 'is appended to (+=)', index: word.start };
  const parts = assignment.valueParts;
  if (parts.some((p) => p.kind === 'array')) return { kind: 'not-literal', reason: 'is set to an array', index };
  const tilde = parts.some((p, i) => p.kind === 'literal' && ((i === 0 && p.value.startsWith('~')) || p.value.includes(':~')));
  if (tilde) return { kind: 'not-literal', reason: 'uses ~, which bash expands to a home directory', index };
  const value = literalValue(parts);
  if (value === undefined) {
    const expansion = firstExpansion(parts);
    return { kind: 'not-literal', reason: `is computed (${describeExpansion(expansion)})`, index };
  }
  if (where !== undefined) return { kind: 'not-top-level', where, index: word.start };
  return { kind: 'literal', value, index };
}

function describeExpansion(part: WordPart | undefined): string {
  if (part === undefined || part.kind === 'literal' || part.kind === 'single-quoted' || part.kind === 'double-quoted') return 'an expansion';
  const raw = shown(part.raw);
  switch (part.kind) {
    case 'parameter':
      return `from the variable ${raw}`;
    case 'command-substitution':
      return `by running the command ${raw}`;
    case 'arithmetic':
      return `by the arithmetic ${raw}`;
    case 'process-substitution':
      return `from the process substitution ${raw}`;
    case 'ansi-c-quoted':
      return `with the escape sequences of ${raw}`;
    case 'locale-quoted':
      return `with the translated string ${raw}`;
    case 'array':
      return `as the array ${raw}`;
  }
}

/** A parser's message on one line of at most 200 characters. */
export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

// ---- positions --------------------------------------------------------------------------------------------------------

/** Converts UTF-8 byte offsets (mvdan/sh) and UTF-16 indices (JavaScript) to 1-based lines and character columns. */
class TextPositions {
  private readonly lineStarts: number[] = [0];
  private readonly byteToIndex: Uint32Array | undefined;

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    // eslint-disable-next-line no-control-regex
    if (/^[\u0000-\u007f]*$/.test(text)) return;
    const map = new Uint32Array(Buffer.byteLength(text, 'utf8') + 1);
    let byte = 0;
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i) ?? 0;
      const units = cp > 0xffff ? 2 : 1;
      const width = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      for (let b = 0; b < width; b += 1) map[byte + b] = i;
      byte += width;
      i += units;
    }
    map[byte] = text.length;
    this.byteToIndex = map;
  }

  indexOfByte(offset: number): number {
    const clamped = Math.max(0, Math.min(Math.floor(Number.isFinite(offset) ? offset : 0), this.byteToIndex ? this.byteToIndex.length - 1 : this.text.length));
    return this.byteToIndex ? (this.byteToIndex[clamped] ?? this.text.length) : clamped;
  }

  positionOf(index: number): Position {
    const at = Math.max(0, Math.min(index, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= at) low = mid;
      else high = mid - 1;
    }
    const lineStart = this.lineStarts[low] ?? 0;
    return { line: low + 1, column: [...this.text.slice(lineStart, at)].length + 1 };
  }
}

// ---- the parser in a worker thread --------------------------------------------------------------------------------

type ParserOutcome =
  | { readonly kind: 'parsed'; readonly file: ShFile }
  | { readonly kind: 'syntax-error'; readonly message: string; readonly offset: number | undefined }
  | { readonly kind: 'failed'; readonly reason: string };

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { parse, ParseError } = require(workerData.modulePath);
parse(workerData.text, { keepComments: false, variant: 1 }).then(
  (file) => parentPort.postMessage({ kind: 'parsed', file }),
  (error) => {
    if (error instanceof ParseError && error.Pos) {
      parentPort.postMessage({ kind: 'syntax-error', message: String(error.Text || error.message), offset: error.Pos.Offset });
    } else {
      parentPort.postMessage({ kind: 'failed', reason: 'the shell parser failed (' + String(error && error.message || error) + ')' });
    }
  },
);
`;

/** Where sh-syntax lives on disk, for the worker; undefined in a bundle (no node_modules beside it). */
let modulePath: string | null | undefined;
function shSyntaxPath(): string | undefined {
  if (modulePath === undefined) {
    try {
      modulePath = createRequire(import.meta.url).resolve('sh-syntax');
    } catch {
      modulePath = null;
    }
  }
  return modulePath ?? undefined;
}

const parses = new ConcurrencyLimit(MAX_CONCURRENT_PARSES);

function runParser(text: string, options: ShellParseOptions): Promise<ParserOutcome> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS;
  const isolation = options.isolation ?? 'auto';
  const path = isolation === 'in-process' ? undefined : shSyntaxPath();
  if (path === undefined) {
    if (isolation === 'worker') return Promise.resolve({ kind: 'failed', reason: 'the shell parser could not be found for a worker thread' });
    return parses.run(() => parseHere(text));
  }
  return parses.run(() => parseInWorker(path, text, timeoutMs));
}

/** In this thread: used where sh-syntax is bundled (Lambda). The size cap keeps inputs far below the sizes that hang it. */
async function parseHere(text: string): Promise<ParserOutcome> {
  try {
    return { kind: 'parsed', file: await parseBash(text, { keepComments: false, variant: LangVariant.LangBash }) };
  } catch (error) {
    if (error instanceof ParseError && error.Pos) return { kind: 'syntax-error', message: String(error.Text || error.message), offset: error.Pos.Offset };
    return { kind: 'failed', reason: `the shell parser failed (${error instanceof Error ? error.message : String(error)})` };
  }
}

function parseInWorker(path: string, text: string, timeoutMs: number): Promise<ParserOutcome> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { modulePath: path, text },
        resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 },
        // plain Node: no loader hooks of the parent (tsx), which would slow every start
        execArgv: [],
        stdout: true,
        stderr: true,
      });
    } catch (error) {
      resolve({ kind: 'failed', reason: `the shell parser could not start (${error instanceof Error ? error.message : String(error)})` });
      return;
    }
    worker.stdout.resume();
    worker.stderr.resume();
    let settled = false;
    const settle = (outcome: ParserOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(() => settle({ kind: 'failed', reason: `the shell parser took longer than ${timeoutMs} ms` }), timeoutMs);
    worker.on('message', (message: unknown) => settle(asOutcome(message)));
    worker.on('error', (error) => settle({ kind: 'failed', reason: `the shell parser failed (${error.message})` }));
    worker.on('exit', (code) => settle({ kind: 'failed', reason: `the shell parser stopped (exit code ${code})` }));
  });
}

function asOutcome(message: unknown): ParserOutcome {
  if (typeof message !== 'object' || message === null || !('kind' in message)) return { kind: 'failed', reason: 'the shell parser answered nothing usable' };
  const m = message as { kind: unknown; file?: unknown; message?: unknown; offset?: unknown; reason?: unknown };
  if (m.kind === 'parsed' && typeof m.file === 'object' && m.file !== null && Array.isArray((m.file as { Stmts?: unknown }).Stmts)) {
    return { kind: 'parsed', file: m.file as ShFile };
  }
  if (m.kind === 'syntax-error') {
    return { kind: 'syntax-error', message: typeof m.message === 'string' ? m.message : 'syntax error', offset: typeof m.offset === 'number' ? m.offset : undefined };
  }
  return { kind: 'failed', reason: typeof m.reason === 'string' ? m.reason : 'the shell parser answered nothing usable' };
}
