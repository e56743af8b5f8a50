/**
 * What a piece of bash reads and sets, from its words (shell-lexer.ts), without running it: the variables it expands
 * (`$NAME`, `${NAME...}`, names inside `$(( ))`, here-document bodies), the variables it assigns (`NAME=`, `export`,
 * `read`, `for NAME in`, ...), the scripts it runs (`./x.sh`, `bash x.sh`, `source x.sh`) and whether it dumps the
 * whole environment (`env`, `printenv`, `envsubst`, ...). Lenient by design: it feeds warnings, so on anything
 * unusual it errs towards "read" and "set". Never throws.
 */
import { lexShell, simpleCommands, type ShellToken, type ShellWord, type WordPart } from '../settings/shell-lexer';

export interface NameUse {
  readonly name: string;
  /** UTF-16 index of the `$` (or of the bare name in arithmetic) in the scanned text. */
  readonly index: number;
}

export interface ScriptRun {
  /** The path as written (`./scripts/x.sh`). */
  readonly path: string;
  /** `direct`: run as a program (needs the executable bit); `interpreter`: `bash x.sh`; `source`: `. x.sh`. */
  readonly how: 'direct' | 'interpreter' | 'source';
  readonly index: number;
}

export interface ShellNames {
  readonly reads: NameUse[];
  readonly assigned: Set<string>;
  readonly runs: ScriptRun[];
  /** Runs a command that prints or consumes every variable (`env`, `printenv`, `envsubst`, `set`, `export -p`). */
  readonly dumpsEnvironment: boolean;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?\+?=/;
const INTERPRETERS = new Set(['bash', 'sh', 'dash', 'zsh', 'ksh', '/bin/bash', '/bin/sh', '/usr/bin/bash', '/usr/bin/env']);
const DECLARATIONS = new Set(['export', 'declare', 'typeset', 'readonly', 'local']);
const MAX_DEPTH = 16;

/** Reads, assignments and script runs of `text` (a buildspec command or a whole script). */
export function shellNames(text: string): ShellNames {
  const result: ShellNames = { reads: [], assigned: new Set(), runs: [], dumpsEnvironment: false };
  const scanner = new Scanner(text, result);
  try {
    scanner.scan(0, text.length, 0);
  } catch {
    // a bug here must not break validation: what was found so far stands
  }
  return result;
}

class Scanner {
  private dumps = false;

  constructor(
    private readonly text: string,
    private readonly result: ShellNames,
  ) {}

  scan(start: number, end: number, depth: number): void {
    if (depth > MAX_DEPTH || start >= end) return;
    const tokens = lexShell(this.text, start, end);
    for (const token of tokens) if (token.kind === 'word') this.word(token, depth);
    this.heredocBodies(tokens, end);
    for (const command of simpleCommands(tokens).commands) this.command(command.words, command.after);
    if (this.dumps) (this.result as { dumpsEnvironment: boolean }).dumpsEnvironment = true;
  }

  /** Expansions of one word; parts are located in the text by their raw form, in order. */
  private word(word: ShellWord, depth: number): void {
    const cursor = { at: word.start };
    this.parts(word.parts, word.end, cursor, depth);
  }

  private parts(parts: readonly WordPart[], end: number, cursor: { at: number }, depth: number): void {
    for (const part of parts) {
      switch (part.kind) {
        case 'literal':
        case 'single-quoted':
          break;
        case 'double-quoted':
          this.parts(part.parts, end, cursor, depth);
          break;
        default: {
          const at = this.text.indexOf(part.raw, cursor.at);
          if (at < 0 || at >= end) break;
          cursor.at = at + part.raw.length;
          this.expansion(part, at, depth);
        }
      }
    }
  }

  private expansion(part: Exclude<WordPart, { kind: 'literal' | 'single-quoted' | 'double-quoted' }>, at: number, depth: number): void {
    const raw = part.raw;
    switch (part.kind) {
      case 'parameter':
        this.parameter(raw, at, depth);
        break;
      case 'command-substitution':
        if (raw.startsWith('$(')) this.scan(at + 2, at + raw.length - (raw.endsWith(')') ? 1 : 0), depth + 1);
        else this.scan(at + 1, at + raw.length - (raw.endsWith('`') && raw.length > 1 ? 1 : 0), depth + 1);
        break;
      case 'process-substitution':
      case 'array':
        this.scan(at + (part.kind === 'array' ? 1 : 2), at + raw.length - (raw.endsWith(')') ? 1 : 0), depth + 1);
        break;
      case 'arithmetic':
        this.arithmetic(at, at + raw.length);
        break;
      case 'locale-quoted':
        this.loose(at + 2, at + raw.length);
        break;
      case 'ansi-c-quoted':
        break;
    }
  }

  /** `$NAME`, `${NAME}`, `${#NAME}`, `${!NAME}`, `${NAME:-$OTHER}`, `${NAME:=value}` (also an assignment). */
  private parameter(raw: string, at: number, depth: number): void {
    if (!raw.startsWith('${')) {
      const name = NAME.exec(raw.slice(1))?.[0];
      if (name !== undefined) this.result.reads.push({ name, index: at });
      return;
    }
    const inner = raw.slice(2, raw.endsWith('}') ? -1 : undefined);
    const prefix = /^[#!]/.test(inner) && inner.length > 1 ? 1 : 0;
    const name = NAME.exec(inner.slice(prefix))?.[0];
    if (name === undefined) return;
    this.result.reads.push({ name, index: at });
    const rest = inner.slice(prefix + name.length);
    if (/^:?=/.test(rest)) this.result.assigned.add(name);
    const restStart = at + 2 + prefix + name.length;
    if (rest.includes('$')) this.loose(restStart, restStart + rest.length, depth);
  }

  /** Bare names in `$(( ))` / `$[ ]` are variables too. */
  private arithmetic(start: number, end: number): void {
    const body = this.text.slice(start, end);
    for (const match of body.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)|(?<![A-Za-z0-9_$#])([A-Za-z_][A-Za-z0-9_]*)/g)) {
      const name = match[1] ?? match[2];
      if (name !== undefined) this.result.reads.push({ name, index: start + (match.index ?? 0) });
    }
  }

  /** Text where only `$NAME`, `${NAME` and `$(...)` matter (here-document bodies, `${X:-$Y}`, `$"..."`). */
  private loose(start: number, end: number, depth = 0): void {
    const body = this.text.slice(start, end);
    for (const match of body.matchAll(/\\.|\$\{[#!]?([A-Za-z_][A-Za-z0-9_]*)|\$([A-Za-z_][A-Za-z0-9_]*)|\$\(\(|\$\(/gs)) {
      const name = match[1] ?? match[2];
      const index = start + (match.index ?? 0);
      if (name !== undefined) this.result.reads.push({ name, index });
      else if (match[0] === '$((') this.arithmetic(index, matchingParen(this.text, index + 2, end));
      else if (match[0] === '$(' && depth < MAX_DEPTH) {
        const close = matchingParen(this.text, index + 2, end);
        this.scan(index + 2, close, depth + 1);
      }
    }
  }

  /** Bodies of here-documents whose delimiter is unquoted (bash expands those), between the line end and the next token. */
  private heredocBodies(tokens: readonly ShellToken[], end: number): void {
    let expanded = 0;
    let pending = 0;
    for (let i = 0; i < tokens.length; i += 1) {
      const token = tokens[i];
      if (token?.kind !== 'operator') continue;
      if (token.op === '<<' || token.op === '<<-') {
        const delimiter = tokens[i + 1];
        pending += 1;
        if (delimiter?.kind === 'word' && !/['"\\]/.test(delimiter.raw)) expanded += 1;
        continue;
      }
      if (token.op === '\n' && pending > 0) {
        const next = tokens[i + 1];
        if (expanded > 0) this.loose(token.end, next === undefined ? end : next.start);
        expanded = 0;
        pending = 0;
      }
    }
  }

  private command(words: readonly ShellWord[], after: readonly string[]): void {
    let k = 0;
    while (k < words.length && ASSIGNMENT.test(words[k]?.raw ?? '')) {
      const name = ASSIGNMENT.exec(words[k]?.raw ?? '')?.[1];
      if (name !== undefined) this.result.assigned.add(name);
      k += 1;
    }
    const head = words[k];
    if (head === undefined) return;
    const args = words.slice(k + 1);
    const name = plain(head);
    const last = after[after.length - 1];
    if (last === 'for' || last === 'select') {
      const variable = NAME.exec(head.raw)?.[0];
      if (variable === head.raw) this.result.assigned.add(variable);
      return;
    }
    if (name === undefined) return;
    if (DECLARATIONS.has(name)) {
      const names = args.filter((a) => !a.raw.startsWith('-') && !a.raw.startsWith('+'));
      if (args.length === 0 || (names.length === 0 && args.some((a) => a.raw === '-p'))) this.dumps = true;
      for (const arg of names) {
        const assigned = ASSIGNMENT.exec(arg.raw)?.[1];
        if (assigned !== undefined) this.result.assigned.add(assigned);
      }
      return;
    }
    switch (name) {
      case 'read':
        this.readNames(args, new Set(['-p', '-d', '-n', '-N', '-t', '-u', '-i']), '-a');
        return;
      case 'mapfile':
      case 'readarray':
        this.readNames(args, new Set(['-d', '-n', '-O', '-s', '-u', '-C', '-c']), undefined);
        return;
      case 'printf': {
        const v = args.findIndex((a) => a.raw === '-v');
        const target = v >= 0 ? args[v + 1]?.raw : undefined;
        if (target !== undefined && NAME.exec(target)?.[0] === target) this.result.assigned.add(target);
        return;
      }
      case 'getopts': {
        const target = args[1]?.raw;
        if (target !== undefined && NAME.exec(target)?.[0] === target) this.result.assigned.add(target);
        return;
      }
      case 'let':
        for (const arg of args) {
          const target = ASSIGNMENT.exec(arg.raw.replace(/^['"]/, ''))?.[1];
          if (target !== undefined) this.result.assigned.add(target);
        }
        return;
      case 'env':
        if (args.every((a) => a.raw.startsWith('-'))) this.dumps = true;
        return;
      case 'printenv': {
        const names = args.filter((a) => !a.raw.startsWith('-'));
        if (names.length === 0) this.dumps = true;
        for (const arg of names) if (NAME.exec(arg.raw)?.[0] === arg.raw) this.result.reads.push({ name: arg.raw, index: arg.start });
        return;
      }
      case 'envsubst':
        this.dumps = true;
        return;
      case 'set':
        if (args.length === 0) this.dumps = true;
        return;
      case 'compgen':
        if (args.some((a) => a.raw === '-v' || a.raw === '-e')) this.dumps = true;
        return;
      case '.':
      case 'source': {
        const target = args[0];
        if (target !== undefined) this.run(target, 'source');
        return;
      }
      default:
        break;
    }
    if (INTERPRETERS.has(name)) {
      const script = args.find((a) => !a.raw.startsWith('-'));
      if (script !== undefined && /\.(sh|bash)$/.test(script.raw)) this.run(script, 'interpreter');
      return;
    }
    if (name.includes('/') && /\.(sh|bash)$/.test(name)) this.run(head, 'direct');
  }

  private readNames(args: readonly ShellWord[], withValue: ReadonlySet<string>, arrayOption: string | undefined): void {
    for (let i = 0; i < args.length; i += 1) {
      const raw = args[i]?.raw ?? '';
      if (raw === arrayOption) {
        const target = args[i + 1]?.raw;
        if (target !== undefined) this.result.assigned.add(target);
        i += 1;
      } else if (withValue.has(raw)) i += 1;
      else if (!raw.startsWith('-') && NAME.exec(raw)?.[0] === raw) this.result.assigned.add(raw);
    }
    if (!args.some((a) => !a.raw.startsWith('-'))) this.result.assigned.add('REPLY');
  }

  private run(word: ShellWord, how: ScriptRun['how']): void {
    const path = plain(word);
    if (path !== undefined) this.result.runs.push({ path, how, index: word.start });
  }
}

/** The word's text when it is written without quotes or expansions. */
function plain(word: ShellWord): string | undefined {
  const only = word.parts.length === 1 ? word.parts[0] : undefined;
  return only?.kind === 'literal' && only.value === word.raw ? word.raw : undefined;
}

function matchingParen(text: string, from: number, end: number): number {
  let depth = 1;
  for (let j = from; j < end; j += 1) {
    const ch = text[j];
    if (ch === '(') depth += 1;
    else if (ch === ')') {
      depth -= 1;
      if (depth === 0) return j;
    }
  }
  return end;
}
