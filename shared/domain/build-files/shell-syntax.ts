/**
 * Bash syntax checks of many texts (buildspec commands, scripts) with sh-syntax: mvdan/sh compiled to WASM. Nothing
 * is ever run; the parser only reads the text.
 *
 * Why not `parseShell` of variables-script.ts for each text: sh-syntax's `parse` compiles and starts a fresh WASM
 * instance per call (about 10 ms), and `parseShell` adds a worker thread per call (about 40 ms). An environment with
 * 50 templates and 200 scripts needs about a thousand parses. Here one compiled module serves every parse, and one
 * instance serves many parses in a row, which brings a parse to a fraction of a millisecond.
 *
 * Why an instance is renewed: the TinyGo runtime inside sh-syntax returns from `main` before the first parse, and its
 * garbage collector breaks after that: an instance that has allocated a few MB crashes ("memory access out of
 * bounds") or loops forever. So an instance serves at most INSTANCE_BYTES of input or INSTANCE_PARSES parses and is
 * then replaced (about 4 ms); a crash is retried once on a fresh instance; a text over the size cap of
 * variables-script.ts (MAX_VARIABLES_SCRIPT_BYTES, below every input seen to loop) is not parsed at all.
 *
 * Isolation: where sh-syntax's files are on disk (CLI, local mode, tests, and a Lambda bundle that carries
 * `wasm_exec.cjs` beside `main.wasm`) the parses run in worker threads, each parse under a deadline: a worker that
 * overruns is terminated and the text reported as not analysed. Elsewhere they run in this thread, protected by the
 * size cap and the instance budget only. Both modes run the same driver code (DRIVER_SOURCE).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { runInThisContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import 'sh-syntax'; // defines globalThis.Go, the TinyGo runtime glue, for the in-thread mode
import { MAX_VARIABLES_SCRIPT_BYTES } from '../settings/variables-script';

export type SyntaxOutcome =
  | { readonly kind: 'ok' }
  /** `index`: UTF-16 index in the text where mvdan/sh reports the error. */
  | { readonly kind: 'syntax-error'; readonly message: string; readonly index: number }
  | { readonly kind: 'not-analysed'; readonly reason: string };

export interface ShellSyntaxOptions {
  /** Deadline of one parse in a worker thread (the first parse of a worker gets STARTUP_MS more). */
  readonly timeoutMs?: number;
  /** `worker` (fails when sh-syntax's files are not on disk), `in-process`, or `auto` (a worker when possible). */
  readonly isolation?: 'auto' | 'worker' | 'in-process';
  /** Largest text parsed, in UTF-8 bytes (default MAX_VARIABLES_SCRIPT_BYTES); raise it only with `isolation: 'worker'`. */
  readonly maxBytes?: number;
  /** Worker threads (default 2). */
  readonly workers?: number;
}

export interface ShellSyntaxChecker {
  /** One outcome per text, in order. Never throws. */
  check(texts: readonly string[]): Promise<SyntaxOutcome[]>;
  /** Starts the parser (and its worker threads) ahead of the first check, without waiting. */
  warmUp(): void;
  /** Stops the worker threads (idle ones never keep the process alive). */
  close(): Promise<void>;
}

export const DEFAULT_SYNTAX_TIMEOUT_MS = 2_000;
const STARTUP_MS = 5_000;
/**
 * Input bytes and parses one WASM instance serves before it is replaced: about half of what breaks it with the
 * densest inputs tried (80 KB of `x;x;...`, 73 KB in 165 parses of deeply nested substitutions).
 */
const INSTANCE_BYTES = 48 * 1024;
const INSTANCE_PARSES = 128;
/** Most texts sent to one worker at once, and the fewest worth starting another worker for. */
const MAX_BATCH = 5_000;
const MIN_SHARE = 8;

/** A typical build script, parsed a few times by a new worker before any real text, to get V8 to optimize the parser. */
const WARM_UP_SCRIPT = [
  '#!/usr/bin/env bash',
  'set -euo pipefail',
  'ACCOUNT=$(aws sts get-caller-identity --query Account --output text)',
  'for region in eu-west-1 us-east-1; do',
  '  if [ -n "${PURGE_MODE:-}" ] && [[ $region == eu-* ]]; then',
  "    aws ec2 describe-vpcs --region \"$region\" | jq -r '.Vpcs[].VpcId' | tee -a log.txt",
  '  fi',
  'done',
  'cat <<EOF >budget.json',
  '{ "BudgetName": "${BUDGET_NAME}", "Amount": $(( BUDGET_AMOUNT * 2 )) }',
  'EOF',
  'case "$ACCOUNT" in 1*) echo one ;; *) echo other ;; esac',
  "f() { local x=$1; printf '%s\\n' \"$x\"; }",
  'f "$ACCOUNT" >/dev/null 2>&1 || true',
  '# ',
].join('\n');
const WARM_UP_PARSES = 30;

/**
 * The parser driver, as source: evaluated in each worker thread, or once in this thread. A function of its inputs
 * only (the Go class of wasm_exec, the compiled module, the limits). Output of the Go runtime (a panic message) is
 * captured, never printed: stdout may be JSON output of the CLI.
 */
const DRIVER_SOURCE = String.raw`(function createShellSyntaxDriver(Go, wasmModule, limits) {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let instance = null;
  let usedBytes = 0;
  let usedParses = 0;
  let output = '';
  function fresh() {
    instance = null;
    const go = new Go();
    const wasi = go.importObject.wasi_snapshot_preview1;
    wasi.fd_write = function (fd, iovs, count, writtenPointer) {
      const view = new DataView(current.exports.memory.buffer);
      let written = 0;
      for (let i = 0; i < count; i += 1) {
        const pointer = view.getUint32(iovs + i * 8, true);
        const length = view.getUint32(iovs + i * 8 + 4, true);
        if (output.length < 500) output += decoder.decode(new Uint8Array(current.exports.memory.buffer, pointer, length));
        written += length;
      }
      view.setUint32(writtenPointer, written, true);
      return 0;
    };
    const current = new WebAssembly.Instance(wasmModule, go.importObject);
    // TinyGo: main returns at once and the exports stay callable; the promise settles then.
    go.run(current).catch(function () {});
    instance = current;
    usedBytes = 0;
    usedParses = 0;
  }
  function call(bytes) {
    const e = instance.exports;
    const name = e.wasmAlloc(0);
    const text = e.wasmAlloc(bytes.byteLength);
    new Uint8Array(e.memory.buffer).set(bytes, text);
    const stopAt = e.wasmAlloc(0);
    // sh-syntax 0.7 processor.js: (file path, text, print, keepComments, variant, stopAt, recoverErrors, simplify,
    // indent, binaryNextLine, switchCaseIndent, spaceRedirects, keepPadding, minify, singleLine, functionNextLine).
    // print + minify: the same parse and the same errors, but the answer is the minified text instead of the syntax
    // tree as JSON (ten times the input): three times faster, and far less memory for the instance.
    const result = e.process(name, 0, 0, text, bytes.byteLength, bytes.byteLength, true, false, 1, stopAt, 0, 0, 0, false, 0, true, true, true, false, true, false, false);
    e.wasmFree(name);
    e.wasmFree(text);
    e.wasmFree(stopAt);
    const memory = new Uint8Array(e.memory.buffer);
    const end = memory.indexOf(0, result);
    return decoder.decode(memory.subarray(result, end < 0 ? memory.length : end));
  }
  function describe(error) {
    const text = String((error && error.message) || error) + (output ? ': ' + output.trim() : '');
    output = '';
    return text.length > 300 ? text.slice(0, 300) + '...' : text;
  }
  return function parse(textString) {
    const bytes = encoder.encode(textString);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      let wasFresh = false;
      try {
        if (instance === null || usedBytes + bytes.byteLength > limits.instanceBytes || usedParses >= limits.instanceParses) {
          fresh();
          wasFresh = true;
        }
      } catch (error) {
        return { kind: 'not-analysed', reason: 'the shell parser could not start (' + describe(error) + ')' };
      }
      usedBytes += bytes.byteLength;
      usedParses += 1;
      let result;
      try {
        const raw = call(bytes);
        result = raw.startsWith('{"') ? JSON.parse(raw) : { message: raw || 'no answer' };
      } catch (error) {
        instance = null;
        if (!wasFresh) continue;
        return { kind: 'not-analysed', reason: 'the shell parser crashed (' + describe(error) + ')' };
      }
      const parseError = result && result.parseError;
      if (parseError) {
        const pos = parseError.Pos || {};
        return { kind: 'syntax-error', message: String(parseError.Text || 'syntax error'), offset: Number(pos.Offset) || 0 };
      }
      if (result && result.message) {
        instance = null;
        if (!wasFresh) continue;
        return { kind: 'not-analysed', reason: 'the shell parser failed (' + describe(String(result.message)) + ')' };
      }
      return { kind: 'ok' };
    }
    return { kind: 'not-analysed', reason: 'the shell parser failed twice' };
  };
})`;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
require(workerData.wasmExecPath);
const parse = ${DRIVER_SOURCE}(globalThis.Go, workerData.module, workerData.limits);
// warm the parser up (V8 first runs WASM with its baseline compiler): a few parses of a typical script
for (let i = 0; i < workerData.warmUp; i += 1) parse(workerData.warmUpScript + i);
// state[0]: texts started so far, state[1]: id of the text being parsed (read by the other thread at a deadline).
// Answers go back in groups (a message per text costs more than a small parse), at least every 20 ms.
const state = new Int32Array(workerData.state);
parentPort.on('message', (batch) => {
  let answers = [];
  let sent = performance.now();
  for (const item of batch) {
    Atomics.store(state, 1, item.id);
    Atomics.add(state, 0, 1);
    answers.push({ id: item.id, outcome: parse(item.text) });
    const now = performance.now();
    if (answers.length >= 64 || now - sent > 20) {
      parentPort.postMessage(answers);
      answers = [];
      sent = now;
    }
  }
  if (answers.length > 0) parentPort.postMessage(answers);
});
`;

/** What the driver answers; offsets are UTF-8 byte offsets. */
type RawOutcome =
  | { kind: 'ok' }
  | { kind: 'syntax-error'; message: string; offset: number }
  | { kind: 'not-analysed'; reason: string };

type DriverParse = (text: string) => RawOutcome;

interface ParserFiles {
  readonly wasmPath?: string;
  readonly wasmExecPath?: string;
}

let located: ParserFiles | undefined;
/** sh-syntax's `main.wasm` and `wasm_exec.cjs`: in node_modules, or beside a bundle. */
function locateParserFiles(): ParserFiles {
  if (located !== undefined) return located;
  const find = (specifier: string, beside: string): string | undefined => {
    try {
      return createRequire(import.meta.url).resolve(specifier);
    } catch {
      try {
        const path = fileURLToPath(new URL(beside, import.meta.url));
        return existsSync(path) ? path : undefined;
      } catch {
        return undefined;
      }
    }
  };
  const wasmPath = find('sh-syntax/main.wasm', './main.wasm');
  const wasmExecPath = find('sh-syntax/vendors/wasm_exec.cjs', './wasm_exec.cjs');
  located = { ...(wasmPath ? { wasmPath } : {}), ...(wasmExecPath ? { wasmExecPath } : {}) };
  return located;
}

/** A compiled WebAssembly module (opaque here: the project's TypeScript libs do not declare WebAssembly's values). */
type WasmModule = object;
const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule> } }).WebAssembly;

let compiled: Promise<WasmModule | undefined> | undefined;
function compiledParser(): Promise<WasmModule | undefined> {
  compiled ??= (async () => {
    const path = locateParserFiles().wasmPath;
    if (path === undefined) return undefined;
    try {
      return await wasm.compile(await readFile(path));
    } catch {
      return undefined;
    }
  })();
  return compiled;
}

function byteOffsetToIndex(text: string, offset: number): number {
  if (!Number.isFinite(offset) || offset <= 0) return 0;
  const bytes = Buffer.from(text, 'utf8');
  return bytes.subarray(0, Math.min(offset, bytes.length)).toString('utf8').length;
}

function finish(text: string, raw: RawOutcome): SyntaxOutcome {
  if (raw.kind === 'syntax-error') return { kind: 'syntax-error', message: raw.message, index: Math.min(byteOffsetToIndex(text, raw.offset), text.length) };
  return raw;
}

function asRawOutcome(value: unknown): RawOutcome {
  if (typeof value !== 'object' || value === null) return { kind: 'not-analysed', reason: 'the shell parser answered nothing usable' };
  const v = value as { kind?: unknown; message?: unknown; offset?: unknown; reason?: unknown };
  if (v.kind === 'ok') return { kind: 'ok' };
  if (v.kind === 'syntax-error') return { kind: 'syntax-error', message: typeof v.message === 'string' ? v.message : 'syntax error', offset: typeof v.offset === 'number' ? v.offset : 0 };
  return { kind: 'not-analysed', reason: typeof v.reason === 'string' ? v.reason : 'the shell parser answered nothing usable' };
}

// ---- worker threads -------------------------------------------------------------------------------------------------

interface Task {
  readonly id: number;
  readonly text: string;
  readonly resolve: (outcome: RawOutcome) => void;
  /** Workers that died while this task was in flight (not as the culprit). */
  losses: number;
}

interface Slot {
  readonly worker: Worker;
  /** Shared with the worker: texts started, id of the current text. */
  readonly state: Int32Array;
  /** Tasks sent and not answered, in the order the worker parses them. */
  readonly inFlight: Map<number, Task>;
  timer: NodeJS.Timeout | undefined;
  dead: boolean;
}

class WorkerPool {
  private readonly queue: Task[] = [];
  private readonly slots: Slot[] = [];
  private nextId = 1;

  constructor(
    private readonly wasmExecPath: string,
    private readonly module: WasmModule,
    private readonly timeoutMs: number,
    private readonly maxWorkers: number,
  ) {}

  parse(text: string): Promise<RawOutcome> {
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, text, resolve, losses: 0 });
      // texts of one check arrive together: hand them out once they are all queued
      if (this.queue.length === 1) queueMicrotask(() => this.pump());
    });
  }

  /** Starts every worker thread now (each loads the parser), so the first texts do not wait for them. */
  warm(): void {
    while (this.slots.length < this.maxWorkers) {
      const slot = this.spawn();
      if (slot === undefined) return;
      slot.worker.unref();
    }
  }

  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    for (const slot of slots) this.retire(slot, 'the shell parser was stopped');
    await Promise.all(slots.map((slot) => slot.worker.terminate().catch(() => 0)));
  }

  /**
   * Every idle worker takes an equal share of the queue at once (texts dealt in turn, so that large and small ones
   * mix): the workers then run without waiting for this thread, which may be busy with the settings check.
   */
  private pump(): void {
    if (this.queue.length === 0) return;
    const idle = this.slots.filter((s) => s.inFlight.size === 0);
    const wanted = Math.min(this.maxWorkers, Math.ceil(this.queue.length / MIN_SHARE));
    while (idle.length < wanted && this.slots.length < this.maxWorkers) {
      const slot = this.spawn();
      if (slot === undefined) break;
      idle.push(slot);
    }
    if (idle.length === 0) return;
    const tasks = this.queue.splice(0, idle.length * MAX_BATCH);
    idle.forEach((slot, k) => {
      const batch = tasks.filter((_, i) => i % idle.length === k);
      if (batch.length === 0) return;
      for (const task of batch) slot.inFlight.set(task.id, task);
      slot.worker.ref();
      try {
        slot.worker.postMessage(batch.map((task) => ({ id: task.id, text: task.text })));
      } catch (error) {
        this.fail(slot, `the shell parser could not be reached (${error instanceof Error ? error.message : String(error)})`);
        return;
      }
      this.arm(slot);
    });
    if (this.queue.length > 0) queueMicrotask(() => this.pump());
  }

  private spawn(): Slot | undefined {
    const state = new Int32Array(new SharedArrayBuffer(8));
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          wasmExecPath: this.wasmExecPath,
          module: this.module,
          state: state.buffer,
          warmUp: WARM_UP_PARSES,
          warmUpScript: WARM_UP_SCRIPT,
          limits: { instanceBytes: INSTANCE_BYTES, instanceParses: INSTANCE_PARSES },
        },
        resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 },
        stdout: true,
        stderr: true,
      });
    } catch (error) {
      const reason = `the shell parser could not start (${error instanceof Error ? error.message : String(error)})`;
      for (const task of this.queue.splice(0)) task.resolve({ kind: 'not-analysed', reason });
      return undefined;
    }
    // the worker's output is piped and never read: it prints nothing (the driver captures the Go runtime's output),
    // and reading the pipes would keep the process alive while the worker idles
    const slot: Slot = { worker, state, inFlight: new Map(), timer: undefined, dead: false };
    worker.on('message', (message: unknown) => this.answer(slot, message));
    worker.on('error', (error) => this.fail(slot, `the shell parser failed (${error.message})`, Atomics.load(state, 1)));
    worker.on('exit', (code) => this.fail(slot, `the shell parser stopped (exit code ${code})`, Atomics.load(state, 1)));
    this.slots.push(slot);
    return slot;
  }

  /**
   * The deadline of the worker's current text: the worker counts the texts it starts in shared memory, so progress is
   * seen even while answers wait to be sent or read. A worker that started no text since the deadline was set is
   * stopped, and the text it is on (also in shared memory) is the one reported.
   */
  private arm(slot: Slot): void {
    if (slot.timer !== undefined) clearTimeout(slot.timer);
    const started = Atomics.load(slot.state, 0);
    const deadline = this.timeoutMs + (started === 0 ? STARTUP_MS : 0);
    slot.timer = setTimeout(() => {
      if (slot.dead || slot.inFlight.size === 0) return;
      if (Atomics.load(slot.state, 0) !== started) this.arm(slot);
      else this.fail(slot, `the shell parser took longer than ${this.timeoutMs} ms`, Atomics.load(slot.state, 1));
    }, deadline);
  }

  private answer(slot: Slot, message: unknown): void {
    if (slot.dead) return;
    for (const answer of Array.isArray(message) ? (message as unknown[]) : []) {
      const id = typeof answer === 'object' && answer !== null ? (answer as { id?: unknown }).id : undefined;
      const task = typeof id === 'number' ? slot.inFlight.get(id) : undefined;
      if (task === undefined) continue;
      slot.inFlight.delete(task.id);
      task.resolve(asRawOutcome((answer as { outcome?: unknown }).outcome));
    }
    if (slot.inFlight.size > 0) {
      this.arm(slot);
      return;
    }
    if (slot.timer !== undefined) clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.worker.unref();
    this.pump();
  }

  /**
   * The worker overran its deadline or died: the text it was on (`culprit`, else the first unanswered one) is not
   * analysed; the other unanswered texts go back to the queue for another worker.
   */
  private fail(slot: Slot, reason: string, culprit?: number): void {
    if (slot.dead) return;
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
    this.retire(slot, reason, culprit);
    void slot.worker.terminate().catch(() => 0);
    this.pump();
  }

  private retire(slot: Slot, reason: string, culprit?: number): void {
    slot.dead = true;
    if (slot.timer !== undefined) clearTimeout(slot.timer);
    const tasks = [...slot.inFlight.values()];
    slot.inFlight.clear();
    const blamed = tasks.find((task) => task.id === culprit) ?? tasks[0];
    blamed?.resolve({ kind: 'not-analysed', reason });
    for (const task of tasks.filter((t) => t !== blamed).reverse()) {
      task.losses += 1;
      if (task.losses > 2) task.resolve({ kind: 'not-analysed', reason });
      else this.queue.unshift(task);
    }
  }
}

// ---- checkers -------------------------------------------------------------------------------------------------------

/** A checker with its own workers (tests, benchmarks). `checkShellSyntax` uses a shared one. */
export function createShellSyntaxChecker(options: ShellSyntaxOptions = {}): ShellSyntaxChecker {
  const maxBytes = options.maxBytes ?? MAX_VARIABLES_SCRIPT_BYTES;
  const isolation = options.isolation ?? 'auto';
  let pool: WorkerPool | undefined;
  let inThread: DriverParse | undefined;
  let unavailable: string | undefined;
  let ready: Promise<void> | undefined;
  let closed = false;

  const prepare = async (): Promise<void> => {
    const module = await compiledParser();
    const files = locateParserFiles();
    if (module === undefined) {
      unavailable = 'the shell parser (sh-syntax main.wasm) could not be loaded';
      return;
    }
    if (isolation !== 'in-process' && files.wasmExecPath !== undefined) {
      // One thread: on the 2-core machines measured, a second one slowed the whole validation down (it competes with
      // the settings check on this thread); parses are short, one thread keeps up.
      pool = new WorkerPool(files.wasmExecPath, module, options.timeoutMs ?? DEFAULT_SYNTAX_TIMEOUT_MS, Math.max(1, options.workers ?? 1));
      return;
    }
    if (isolation === 'worker') {
      unavailable = 'the shell parser could not be found for a worker thread';
      return;
    }
    const go = (globalThis as { Go?: unknown }).Go;
    if (typeof go !== 'function') {
      unavailable = 'the shell parser runtime (sh-syntax wasm_exec) is not loaded';
      return;
    }
    try {
      const factory = runInThisContext(DRIVER_SOURCE) as (g: unknown, m: WasmModule, l: object) => DriverParse;
      inThread = factory(go, module, { instanceBytes: INSTANCE_BYTES, instanceParses: INSTANCE_PARSES });
    } catch (error) {
      unavailable = `the shell parser could not start (${error instanceof Error ? error.message : String(error)})`;
    }
  };

  const parseOne = async (text: string): Promise<SyntaxOutcome> => {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > maxBytes) return { kind: 'not-analysed', reason: `it is ${bytes} bytes; spa-cd parses at most ${maxBytes} bytes of shell at once` };
    if (unavailable !== undefined) return { kind: 'not-analysed', reason: unavailable };
    if (pool !== undefined) return finish(text, await pool.parse(text));
    if (inThread !== undefined) {
      try {
        return finish(text, inThread(text));
      } catch (error) {
        return { kind: 'not-analysed', reason: `the shell parser failed (${error instanceof Error ? error.message : String(error)})` };
      }
    }
    return { kind: 'not-analysed', reason: 'the shell parser is not available' };
  };

  return {
    async check(texts) {
      try {
        ready ??= prepare();
        await ready;
        // the same text has the same outcome: templates copied from one another share most of their commands
        const unique = [...new Set(texts)];
        let outcomes: SyntaxOutcome[];
        if (pool !== undefined) outcomes = await Promise.all(unique.map(parseOne));
        else {
          outcomes = [];
          for (let i = 0; i < unique.length; i += 1) {
            outcomes.push(await parseOne(unique[i] ?? ''));
            // in this thread: let other work (timers, I/O) run between groups of parses
            if (i % 64 === 63) await new Promise<void>((resolve) => setImmediate(resolve));
          }
        }
        const byText = new Map(unique.map((text, i) => [text, outcomes[i] ?? { kind: 'not-analysed' as const, reason: 'no answer' }]));
        return texts.map((text) => byText.get(text) ?? { kind: 'not-analysed', reason: 'no answer' });
      } catch (error) {
        const reason = `the shell parser failed (${error instanceof Error ? error.message : String(error)})`;
        return texts.map(() => ({ kind: 'not-analysed', reason }));
      }
    },
    warmUp() {
      if (closed) return;
      ready ??= prepare();
      void ready.then(
        () => {
          if (!closed) pool?.warm();
        },
        () => undefined,
      );
    },
    async close() {
      closed = true;
      await ready?.catch(() => undefined);
      await pool?.close();
    },
  };
}

let shared: ShellSyntaxChecker | undefined;

/** Syntax of each text as bash (mvdan/sh), with the shared checker. Never throws, never runs anything. */
export function checkShellSyntax(texts: readonly string[]): Promise<SyntaxOutcome[]> {
  shared ??= createShellSyntaxChecker();
  return shared.check(texts);
}

/** Starts the shared checker's parser ahead of its first use. */
export function warmUpShellSyntax(): void {
  shared ??= createShellSyntaxChecker();
  shared.warmUp();
}

/** Stops the shared checker's worker threads (a later check starts new ones). */
export async function closeShellSyntaxWorkers(): Promise<void> {
  const checker = shared;
  shared = undefined;
  await checker?.close();
}
