/**
 * End-to-end harness for local mode: a temporary settings repository (real git), a data folder (real dynalite),
 * builds run by real bash. Runs `spa-cd local` in-process (LocalController) or as a child process (for kill and
 * Ctrl-C), waits for conditions with a deadline (never a fixed sleep), and cleans up every process and folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memoryIo } from '../../../cli/cli-io';
import { main } from '../../../cli/main';
import { createExampleRepository } from '../../../cli/local/example-repository';
import { LocalController, type LocalOptions } from '../../../cli/local/local-controller';
import { localCliCommand } from '../../../cli/local/local-paths';
import { openStore, readPublishedEndpoint } from '../../../cli/store-connection';
import type { Deployment } from '../../../shared/domain/deployment/deployment';
import { GitWorkTree } from '../../support/git-work-tree';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export const SETTINGS = (budget: number): string => `environment_identifier: SpaEndToEnd
automation:
  account_id: "123456789012"
  region: eu-west-1
defaults:
  account_tags:
    cost-center: shared
  preparation:
    feature: enabled
    variables:
      BUDGET_AMOUNT: ${budget}
  purge:
    feature: disabled
    variables: {}
accounts:
  - identifier: "210987654321"
    note: a sandbox
`;

export const INVALID_SETTINGS = `${SETTINGS(500)}  - identifier: 123456789012\n    note: unquoted\n`;
export const SPA_VERSION = '22.12.17';

/**
 * A fast buildspec whose build waits until the gate is open (`open()`): tests decide when a build ends, without
 * timing assumptions.
 */
function gatedBuildspec(gate: string): string {
  return `version: 0.2
env:
  shell: bash
  variables:
    GATE: ${JSON.stringify(gate)}
phases:
  build:
    commands:
      - echo "deploying $SPA_CD_ENVIRONMENT at $SPA_CD_SETTINGS_COMMIT with SPA $SPA_CD_SPA_VERSION"
      - while [ ! -e "$GATE/open" ]; do sleep 0.02; done
      - echo "deployed $SPA_CD_SETTINGS_COMMIT"
`;
}

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export class LocalModeHarness {
  readonly root = mkdtempSync(join(tmpdir(), 'spa-cd-e2e-'));
  readonly data = join(this.root, 'data');
  readonly reviews = join(this.root, 'reviews');
  readonly gate = join(this.root, 'gate');
  readonly buildspec = join(this.root, 'buildspec.yml');
  readonly work = join(this.root, 'work');
  tree: GitWorkTree;
  private readonly children: ChildProcess[] = [];
  private readonly watchers: { abort: AbortController; done: Promise<number> }[] = [];

  /** `example`: the repository a newcomer gets (examples/), else one environment per name with valid settings. */
  constructor(options: { environments?: readonly string[]; example?: boolean } = {}) {
    mkdirSync(this.gate);
    mkdirSync(this.work);
    writeFileSync(this.buildspec, gatedBuildspec(this.gate));
    this.tree = new GitWorkTree('spa-cd-e2e-repo-');
    if (options.example) {
      rmSync(this.tree.dir, { recursive: true, force: true });
      createExampleRepository(this.tree.dir);
      this.tree.git('config', 'user.email', 'test@example.com');
      this.tree.git('config', 'user.name', 'Test');
    } else {
      for (const env of options.environments ?? ['app']) {
        this.tree.write(`environments/${env}/settings.yaml`, SETTINGS(500)).write(`environments/${env}/deployment.yaml`, `spa_version: '${SPA_VERSION}'\n`);
      }
      this.tree.commit('initial settings');
    }
  }

  get repo(): string {
    return this.tree.dir;
  }

  head(): string {
    return this.tree.git('rev-parse', 'HEAD');
  }

  /** Lets every waiting build finish. */
  open(): void {
    writeFileSync(join(this.gate, 'open'), '');
  }

  close(): void {
    rmSync(join(this.gate, 'open'), { force: true });
  }

  options(overrides: Partial<LocalOptions> = {}): LocalOptions {
    return {
      repo: this.repo,
      data: this.data,
      reviews: this.reviews,
      buildspec: this.buildspec,
      trunk: 'main',
      cli: localCliCommand(),
      pollMs: 50,
      reconcileMs: 200,
      printReviews: false,
      workRoot: this.work,
      cwd: this.root,
      ...overrides,
    };
  }

  /** `spa-cd local --once`, in this process. */
  async once(overrides: Partial<LocalOptions> = {}): Promise<Run> {
    const io = memoryIo(this.root);
    const controller = await LocalController.start(this.options(overrides), io);
    const code = await controller.once();
    return { code, stdout: io.stdout, stderr: io.stderr };
  }

  /** `spa-cd local` watching, in this process; `stop()` is Ctrl-C. */
  async watch(overrides: Partial<LocalOptions> = {}): Promise<{ io: ReturnType<typeof memoryIo>; stop: () => Promise<number> }> {
    const io = memoryIo(this.root);
    const controller = await LocalController.start(this.options(overrides), io);
    const abort = new AbortController();
    const done = controller.watch(abort.signal);
    const watcher = { abort, done };
    this.watchers.push(watcher);
    return {
      io,
      stop: async () => {
        abort.abort();
        return done;
      },
    };
  }

  /** `spa-cd local` (watch mode) as a child process, as `npm start` runs it. */
  spawnLocal(extra: readonly string[] = []): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'cli/main.ts', 'local', '--repo', this.repo, '--data', this.data, '--reviews', this.reviews, '--buildspec', this.buildspec, '--poll-ms', '50', ...extra],
      { cwd: REPO_ROOT, env: { ...process.env, TMPDIR: this.work }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.children.push(child);
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
    return { child, output: () => text, exited };
  }

  /** Runs a `spa-cd` command line in this process. */
  async cli(args: readonly string[]): Promise<Run> {
    const io = memoryIo(this.root, {});
    const code = await main(args, io);
    return { code, stdout: io.stdout, stderr: io.stderr };
  }

  /** Every deployment, newest first (through the running controller's endpoint, or the store opened in-process). */
  async history(environment?: string): Promise<Deployment[]> {
    const connection = await openStore({ data: this.data }, memoryIo(this.root));
    try {
      return [...(await connection.store.history({ limit: 100, ...(environment ? { environment } : {}) })).items];
    } finally {
      await connection.close();
    }
  }

  /**
   * Every deployment, newest first, through the endpoint a running `spa-cd local` publishes; undefined while none is
   * published (never opens the store in this process: its folder belongs to the running one).
   */
  async liveHistory(environment?: string): Promise<Deployment[] | undefined> {
    const endpoint = readPublishedEndpoint(this.data);
    if (endpoint === undefined) return undefined;
    try {
      const connection = await openStore({ endpoint }, memoryIo(this.root));
      try {
        return [...(await connection.store.history({ limit: 100, ...(environment ? { environment } : {}) })).items];
      } finally {
        await connection.close();
      }
    } catch {
      return undefined;
    }
  }

  /** Number of builds the local runner recorded. */
  builds(): number {
    try {
      return readdirSync(join(this.data, 'builds')).filter((name) => name.endsWith('.build.json')).length;
    } catch {
      return 0;
    }
  }

  /** Processes still running commands of this harness's builds (found by the settings repository in their environment). */
  buildProcesses(): number[] {
    const marker = `SPA_CD_SETTINGS_REPO=${this.repo}`;
    const pids: number[] = [];
    for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      try {
        if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(marker)) pids.push(Number(entry));
      } catch {
        // Gone, or not ours.
      }
    }
    return pids;
  }

  async cleanup(): Promise<void> {
    this.open();
    for (const watcher of this.watchers) {
      watcher.abort.abort();
      await watcher.done.catch(() => undefined);
    }
    for (const child of this.children) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
      }
    }
    for (const pid of this.buildProcesses()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone.
      }
    }
    this.tree.cleanup();
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Waits until `check` answers a value (not undefined), polling; fails with `what` after the deadline. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
