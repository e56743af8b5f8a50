/**
 * Adapter: the build-service port on this machine. Runs a buildspec's phases with bash in a fresh work folder, with
 * the same environment overrides as StartBuild, one build at a time per project, and reports IN_PROGRESS then
 * SUCCEEDED, FAILED, TIMED_OUT or STOPPED through `onStateChange` (local mode turns that into CodeBuild events).
 *
 * Nothing from the settings repository or an event reaches a shell as code: the buildspec is our own file, values
 * reach the commands as environment variables only. Each phase runs as its own process group (so a stop ends
 * every process the build started), and every build is recorded under the state folder, so `describe` and
 * `findBuild` still answer after a restart; a build whose runner died is reported FAULT (see `open`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, chmodSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { buildEnvironmentOverrides } from '../../shared/adapters/codebuild-build-service';
import { normalizeBuildId } from '../../shared/events/codebuild';
import { PROJECT_NAME } from '../../shared/events/primitives';
import type { BuildInfo, BuildService, BuildStatus, StartBuildRequest, StartBuildResult } from '../../shared/ports/build-service';
import { BuildspecError, loadBuildspec, PHASE_TYPES, type BuildspecPhase } from './local-buildspec';
import { localBuildArn, type BuildStateChange, type LocalPhase } from './local-events';

/** How the builds run `spa-cd` itself (the default local buildspec validates with it). */
export interface CliCommand {
  /** The node executable. */
  readonly node: string;
  /** The `--import` module that runs TypeScript (tsx's loader, as a file URL). */
  readonly loader: string;
  /** cli/main.ts */
  readonly main: string;
}

export interface LocalBuildRunnerOptions {
  readonly buildspecPath: string;
  /** Build records and logs (`<data>/builds`). */
  readonly stateDir: string;
  /** The local settings repository, for the build to clone (SPA_CD_SETTINGS_REPO). */
  readonly settingsRepo: string;
  readonly cli: CliCommand;
  readonly buildAccount: string;
  readonly buildRegion: string;
  readonly onStateChange?: (change: BuildStateChange) => void;
  /** Each line of build output, already prefixed with `[<environment> build#<n>]`. */
  readonly output?: (line: string) => void;
  readonly timeoutMinutes?: number;
  /** Between SIGTERM and SIGKILL when a build is stopped. */
  readonly stopGraceMs?: number;
  /** Where fresh work folders are made (default: the OS temporary folder). */
  readonly workRoot?: string;
  readonly keepWorkFolders?: boolean;
  /**
   * Variables of this machine passed to every build (`--pass-env`): what a CodeBuild project's environment holds on
   * AWS (credentials profile, SPA_CD_SETTINGS_REPOSITORY... for infra/buildspec.yml). The buildspec's variables and
   * the StartBuild overrides win over them.
   */
  readonly passEnv?: Readonly<Record<string, string>>;
  readonly now?: () => Date;
}

export type Termination = 'STOPPED' | 'TIMED_OUT';

interface BuildRecord {
  readonly version: 1;
  readonly buildId: string;
  readonly projectName: string;
  readonly number: number;
  readonly environment: string;
  readonly deploymentId: string;
  readonly idempotencyToken: string;
  status: BuildStatus;
  currentPhase: string;
  readonly startTime: string;
  endTime?: string;
  phases: LocalPhase[];
  failedPhase?: string;
  failureMessage?: string;
  readonly variables: Record<string, string>;
  readonly logFile: string;
  workDir?: string;
  readonly owner: string;
  processGroup?: number;
  readonly timeoutInMinutes: number;
  /** What the last step line of the output said (`spa-cd: ==> ...` or the running command). */
  step?: string;
}

interface RunningBuild {
  readonly record: BuildRecord;
  child?: ChildProcess;
  termination?: Termination;
  readonly done: Promise<void>;
}

export interface RunningBuildView {
  readonly buildId: string;
  readonly environment: string;
  readonly number: number;
  readonly phase: string;
  readonly step?: string;
  readonly startTime: string;
}

const IDEMPOTENCY_WINDOW_MS = 5 * 60 * 1000;
const RECORD_SUFFIX = '.build.json';
/** Output lines that say which step runs: the buildspec's own (`spa-cd: ==> ...`) or the command being run. */
const STEP_LINE = /^(?:spa-cd: ==> |\[Container\] Running command (?:# )?)(.*)$/;

/**
 * Runs the commands given as files, one after the other, in this one shell (so `cd` and variables carry from one
 * command to the next within a phase, as in CodeBuild); stops at the first command that fails. The index of the
 * running command is written to SPA_CD_LOCAL_STEP_FILE so the runner can say which command failed. Each command is
 * announced by its first line that is not blank and not a `set -...` line.
 */
const PHASE_DRIVER = `spa_cd_index=0
for spa_cd_command_file in "$@"; do
  spa_cd_index=$((spa_cd_index + 1))
  printf '%s' "$spa_cd_index" > "$SPA_CD_LOCAL_STEP_FILE"
  printf '[Container] Running command %s\\n' "$(grep -m 1 -v -E '^[[:space:]]*(set -[a-z -]*)?$' -- "$spa_cd_command_file")"
  . "$spa_cd_command_file"
  spa_cd_status=$?
  if [ "$spa_cd_status" -ne 0 ]; then exit "$spa_cd_status"; fi
done
exit 0
`;

/** The `spa-cd` a build runs: this checkout's CLI through tsx (paths come from the environment, never interpolated). */
const CLI_WRAPPER = `#!/usr/bin/env bash
exec "$SPA_CD_NODE" --import "$SPA_CD_TSX_LOADER" "$SPA_CD_MAIN" "$@"
`;

export class LocalBuildRunner implements BuildService {
  private readonly records = new Map<string, BuildRecord>();
  private readonly running = new Map<string, RunningBuild>();
  private readonly owner = `${process.pid}:${randomUUID()}`;
  private readonly now: () => Date;
  private closed = false;

  private constructor(private readonly options: LocalBuildRunnerOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Opens the runner on its state folder. Builds recorded IN_PROGRESS by a runner that is gone (spa-cd local was
   * killed) are ended: their leftover processes are killed and they are recorded FAULT, which `describe` reports,
   * so the reconciler closes their deployments. The caller must own the state folder (one `spa-cd local` per data
   * folder: the store's lock guarantees it).
   */
  static open(options: LocalBuildRunnerOptions): LocalBuildRunner {
    const runner = new LocalBuildRunner(options);
    mkdirSync(options.stateDir, { recursive: true });
    for (const name of readdirSync(options.stateDir)) {
      if (!name.endsWith(RECORD_SUFFIX)) continue;
      const record = readRecord(join(options.stateDir, name));
      if (record === undefined) continue;
      runner.records.set(record.buildId, record);
      if (record.status === 'IN_PROGRESS') runner.endOrphan(record);
    }
    return runner;
  }

  /** Checks the buildspec now, so a mistake shows at startup rather than as failed builds. */
  checkBuildspec(): void {
    loadBuildspec(this.options.buildspecPath);
  }

  async start(request: StartBuildRequest): Promise<StartBuildResult> {
    if (this.closed) return { outcome: 'busy', reason: 'the local runner is shutting down' };
    if (!PROJECT_NAME.test(request.projectName)) return { outcome: 'refused', reason: 'the project name is not a CodeBuild project name' };
    const same = [...this.records.values()].find(
      (r) => r.projectName === request.projectName && r.idempotencyToken === request.idempotencyToken && this.now().getTime() - Date.parse(r.startTime) < IDEMPOTENCY_WINDOW_MS,
    );
    if (same !== undefined) return this.started(same);
    const busy = [...this.running.values()].find((b) => b.record.projectName === request.projectName);
    if (busy !== undefined) return { outcome: 'busy', reason: `${request.projectName} is running build #${busy.record.number} (one build at a time per project)` };
    let phases: readonly BuildspecPhase[];
    let specVariables: Readonly<Record<string, string>>;
    try {
      const spec = loadBuildspec(this.options.buildspecPath);
      phases = spec.phases;
      specVariables = spec.variables;
    } catch (error) {
      return { outcome: 'refused', reason: error instanceof BuildspecError ? error.message : String(error) };
    }
    const overrides = buildEnvironmentOverrides(request);
    const variables: Record<string, string> = {};
    for (const variable of overrides) {
      const value = variable.value ?? '';
      if (variable.name === undefined) continue;
      if (value.includes('\u0000')) return { outcome: 'refused', reason: `${variable.name} contains a NUL character` };
      variables[variable.name] = value;
    }
    const uuid = randomUUID();
    const buildId = `${request.projectName}:${uuid}`;
    const number = 1 + Math.max(0, ...[...this.records.values()].filter((r) => r.projectName === request.projectName).map((r) => r.number));
    const record: BuildRecord = {
      version: 1,
      buildId,
      projectName: request.projectName,
      number,
      environment: request.environment,
      deploymentId: request.deploymentId,
      idempotencyToken: request.idempotencyToken,
      status: 'IN_PROGRESS',
      currentPhase: 'SUBMITTED',
      startTime: this.now().toISOString(),
      phases: [],
      variables,
      logFile: join(this.options.stateDir, `${request.projectName}-${uuid}.log`),
      owner: this.owner,
      timeoutInMinutes: this.options.timeoutMinutes ?? 60,
    };
    this.records.set(buildId, record);
    this.save(record);
    let resolveDone: () => void = () => {};
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const build: RunningBuild = { record, done };
    this.running.set(buildId, build);
    // Runs after the caller has the build id (and has recorded it): events then follow the start, as on AWS.
    setImmediate(() => {
      this.run(build, phases, specVariables)
        .catch((error: unknown) => this.finish(build, 'FAULT', { phase: record.currentPhase, message: `local runner error: ${error instanceof Error ? error.message : String(error)}` }))
        .finally(() => {
          // The build leaves the project before its end is reported: the deployment queued behind it can start.
          this.running.delete(buildId);
          resolveDone();
          this.emit(record);
        });
    });
    return this.started(record);
  }

  async describe(buildIds: readonly string[]): Promise<BuildInfo[]> {
    const infos: BuildInfo[] = [];
    for (const id of buildIds) {
      const normal = normalizeBuildId(id);
      const record = normal === undefined ? undefined : this.records.get(normal);
      if (record !== undefined) infos.push(this.infoOf(record));
    }
    return infos;
  }

  async findBuild(projectName: string, deploymentId: string): Promise<BuildInfo | undefined> {
    const matching = [...this.records.values()]
      .filter((r) => r.projectName === projectName && r.deploymentId === deploymentId)
      .sort((a, b) => (a.startTime < b.startTime ? 1 : -1));
    return matching[0] === undefined ? undefined : this.infoOf(matching[0]);
  }

  /** Stops a running build (its whole process group) and resolves once it has ended and been reported STOPPED. */
  async stop(buildId: string): Promise<void> {
    await this.terminate(buildId, 'STOPPED');
  }

  /** Stops every running build; new starts are refused from now on. */
  async stopAll(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.running.keys()].map((id) => this.terminate(id, 'STOPPED')));
  }

  /** Resolves when no build runs. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((b) => b.done));
  }

  runningBuilds(): RunningBuildView[] {
    return [...this.running.values()].map(({ record }) => ({
      buildId: record.buildId,
      environment: record.environment,
      number: record.number,
      phase: record.currentPhase,
      ...(record.step !== undefined ? { step: record.step } : {}),
      startTime: record.startTime,
    }));
  }

  get isBusy(): boolean {
    return this.running.size > 0;
  }

  // ---- running -----------------------------------------------------------------------------------------------

  private started(record: BuildRecord): StartBuildResult {
    return { outcome: 'started', buildId: record.buildId, logsUrl: pathToFileURL(record.logFile).href, startedAt: record.startTime };
  }

  private async terminate(buildId: string, why: Termination): Promise<void> {
    const build = this.running.get(normalizeBuildId(buildId) ?? buildId);
    if (build === undefined) return;
    build.termination ??= why;
    const group = build.record.processGroup;
    if (group !== undefined) {
      killGroup(group, 'SIGTERM');
      const timer = setTimeout(() => killGroup(group, 'SIGKILL'), this.options.stopGraceMs ?? 3000);
      await build.done;
      clearTimeout(timer);
    } else await build.done;
  }

  private async run(build: RunningBuild, phases: readonly BuildspecPhase[], specVariables: Readonly<Record<string, string>>): Promise<void> {
    const { record } = build;
    const root = mkdtempSync(join(this.options.workRoot ?? tmpdir(), 'spa-cd-build-'));
    record.workDir = root;
    const log = createWriteStream(record.logFile, { flags: 'a' });
    const timeout = setTimeout(() => void this.terminate(record.buildId, 'TIMED_OUT'), record.timeoutInMinutes * 60_000);
    try {
      const src = join(root, 'src');
      const bin = join(root, 'bin');
      for (const folder of [src, bin, join(root, 'home'), join(root, 'tmp'), join(root, 'phases')]) mkdirSync(folder, { recursive: true });
      writeFileSync(join(bin, 'spa-cd'), CLI_WRAPPER);
      chmodSync(join(bin, 'spa-cd'), 0o755);
      const environment = this.environmentOf(record, root, specVariables);
      this.emit(record);
      let succeeding = true;
      for (const phase of phases) {
        if (build.termination !== undefined) break;
        const result = await this.runPhase(build, phase, { ...environment, CODEBUILD_BUILD_SUCCEEDING: succeeding ? '1' : '0' }, log);
        if (result === 'SUCCEEDED') continue;
        succeeding = false;
        if (result !== 'FAILED') break;
        // As CodeBuild: a failed BUILD still runs POST_BUILD; a failed INSTALL or PRE_BUILD ends the build.
        if (phase.onFailure === 'CONTINUE' || phase.name === 'build') continue;
        break;
      }
      const failed = record.phases.find((p) => p.status !== undefined && p.status !== 'SUCCEEDED');
      const status: BuildStatus = build.termination ?? (failed === undefined ? 'SUCCEEDED' : 'FAILED');
      this.finish(build, status, failed ? { phase: failed.type, message: (failed.context ?? []).join('; ') } : undefined);
    } finally {
      clearTimeout(timeout);
      await new Promise<void>((resolve) => log.end(resolve));
      if (!this.options.keepWorkFolders) rmSync(root, { recursive: true, force: true });
    }
  }

  private environmentOf(record: BuildRecord, root: string, specVariables: Readonly<Record<string, string>>): Record<string, string> {
    const bin = join(root, 'bin');
    return {
      PATH: [bin, dirname(this.options.cli.node), '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'].join(':'),
      HOME: join(root, 'home'),
      TMPDIR: join(root, 'tmp'),
      LANG: 'C.UTF-8',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_TERMINAL_PROMPT: '0',
      CODEBUILD_SRC_DIR: join(root, 'src'),
      CODEBUILD_BUILD_ID: record.buildId,
      CODEBUILD_BUILD_ARN: localBuildArn(record.buildId, { buildAccount: this.options.buildAccount, buildRegion: this.options.buildRegion }),
      CODEBUILD_BUILD_NUMBER: String(record.number),
      CODEBUILD_INITIATOR: 'spa-cd-local',
      ...this.options.passEnv,
      ...specVariables,
      ...record.variables,
      SPA_CD_SETTINGS_REPO: this.options.settingsRepo,
      SPA_CD_CLI: join(bin, 'spa-cd'),
      SPA_CD_NODE: this.options.cli.node,
      SPA_CD_TSX_LOADER: this.options.cli.loader,
      SPA_CD_MAIN: this.options.cli.main,
      SPA_CD_LOCAL_BUILD_ID: record.buildId,
    };
  }

  private async runPhase(build: RunningBuild, phase: BuildspecPhase, environment: Record<string, string>, log: WriteStream): Promise<'SUCCEEDED' | 'FAILED' | Termination> {
    const { record } = build;
    const type = PHASE_TYPES[phase.name];
    const started = this.now();
    record.currentPhase = type;
    const entry: LocalPhase = { type, startTime: started.toISOString() };
    record.phases.push(entry);
    this.save(record);
    this.line(record, log, `[Container] Entering phase ${type}`);
    let outcome = await this.runCommands(build, phase.name, 'commands', phase.commands, environment, log);
    if (phase.finally.length > 0 && build.termination === undefined) {
      const final = await this.runCommands(build, phase.name, 'finally', phase.finally, environment, log);
      if (outcome.status === 'SUCCEEDED') outcome = final;
    }
    const ended = this.now();
    const status = build.termination ?? outcome.status;
    const context =
      status === 'SUCCEEDED'
        ? []
        : build.termination === 'STOPPED'
          ? ['BUILD_STOPPED: the build was stopped']
          : build.termination === 'TIMED_OUT'
            ? [`BUILD_TIMED_OUT: the build did not finish within ${record.timeoutInMinutes} minutes`]
            : [outcome.context ?? 'COMMAND_EXECUTION_ERROR'];
    const finished: LocalPhase = { ...entry, status, endTime: ended.toISOString(), durationSeconds: Math.max(0, (ended.getTime() - started.getTime()) / 1000), context };
    record.phases[record.phases.length - 1] = finished;
    this.save(record);
    this.line(record, log, `[Container] Phase complete: ${type} State: ${status}${context.length > 0 ? ` ${context.join('; ')}` : ''}`);
    return status;
  }

  private async runCommands(
    build: RunningBuild,
    phase: string,
    part: 'commands' | 'finally',
    commands: readonly string[],
    environment: Record<string, string>,
    log: WriteStream,
  ): Promise<{ status: 'SUCCEEDED' | 'FAILED'; context?: string }> {
    if (commands.length === 0) return { status: 'SUCCEEDED' };
    const { record } = build;
    const root = record.workDir ?? tmpdir();
    const files = commands.map((command, index) => {
      const file = join(root, 'phases', `${phase}-${part}-${index + 1}.sh`);
      writeFileSync(file, command.endsWith('\n') ? command : `${command}\n`);
      return file;
    });
    const stepFile = join(root, 'phases', `${phase}-${part}.step`);
    const child = spawn('bash', ['--noprofile', '--norc', '-c', PHASE_DRIVER, 'spa-cd-phase', ...files], {
      cwd: environment.CODEBUILD_SRC_DIR,
      env: { ...environment, SPA_CD_LOCAL_STEP_FILE: stepFile },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    build.child = child;
    record.processGroup = child.pid;
    this.save(record);
    const streams = [child.stdout, child.stderr].map(
      (stream) =>
        new Promise<void>((resolve) => {
          if (stream === null) return resolve();
          const lines = createInterface({ input: stream, crlfDelay: Infinity });
          lines.on('line', (line) => this.line(record, log, line));
          lines.on('close', () => resolve());
        }),
    );
    const code = await new Promise<number>((resolve) => {
      child.once('error', () => resolve(127));
      child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 : 1)));
    });
    // The phase is over: whatever it left running in the background goes with it (as a CodeBuild container would).
    if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
    let drained: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(streams), new Promise((resolve) => (drained = setTimeout(resolve, 2000)))]);
    clearTimeout(drained);
    build.child = undefined;
    record.processGroup = undefined;
    if (code === 0) return { status: 'SUCCEEDED' };
    const index = Number(readText(stepFile) ?? '0');
    const command = commands[index - 1] ?? '';
    const shown = command.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
    return {
      status: 'FAILED',
      context: `COMMAND_EXECUTION_ERROR: Error while executing command: ${shown.length > 200 ? `${shown.slice(0, 199)}…` : shown}. Reason: exit status ${code}`,
    };
  }

  private line(record: BuildRecord, log: WriteStream, text: string): void {
    log.write(`${text}\n`);
    const step = STEP_LINE.exec(text);
    if (step?.[1] !== undefined) record.step = step[1];
    this.options.output?.(`[${record.environment} build#${record.number}] ${text}`);
  }

  private finish(build: RunningBuild, status: BuildStatus, failure?: { phase: string; message: string }): void {
    const { record } = build;
    if (record.status !== 'IN_PROGRESS') return;
    record.status = status;
    record.endTime = this.now().toISOString();
    record.currentPhase = 'COMPLETED';
    record.phases.push({ type: 'COMPLETED', startTime: record.endTime });
    if (status !== 'SUCCEEDED' && failure !== undefined) {
      record.failedPhase = failure.phase;
      if (failure.message !== '') record.failureMessage = failure.message;
    }
    this.save(record);
  }

  private emit(record: BuildRecord): void {
    this.options.onStateChange?.({
      buildId: record.buildId,
      projectName: record.projectName,
      buildNumber: record.number,
      status: record.status,
      currentPhase: record.currentPhase,
      startTime: record.startTime,
      time: record.status === 'IN_PROGRESS' ? record.startTime : (record.endTime ?? this.now().toISOString()),
      phases: record.phases,
      variables: record.variables,
      timeoutInMinutes: record.timeoutInMinutes,
    });
  }

  /** A build left IN_PROGRESS by a runner that is gone: end what is left of it and record FAULT. */
  private endOrphan(record: BuildRecord): void {
    for (const pid of processesOfBuild(record.buildId)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    const now = this.now().toISOString();
    const message = 'the local runner ended while this build ran (spa-cd local was killed); its outcome is unknown';
    const last = record.phases[record.phases.length - 1];
    if (last !== undefined && last.status === undefined) {
      const duration = Math.max(0, (Date.parse(now) - Date.parse(last.startTime)) / 1000);
      record.phases[record.phases.length - 1] = { ...last, status: 'FAULT', endTime: now, durationSeconds: duration, context: [message] };
    }
    record.phases.push({ type: 'COMPLETED', startTime: now });
    record.status = 'FAULT';
    record.endTime = now;
    record.failedPhase = last?.type ?? record.currentPhase;
    record.failureMessage = message;
    record.currentPhase = 'COMPLETED';
    record.processGroup = undefined;
    if (record.workDir !== undefined && record.workDir.includes('spa-cd-build-')) rmSync(record.workDir, { recursive: true, force: true });
    this.save(record);
  }

  private infoOf(record: BuildRecord): BuildInfo {
    const terminal = record.status !== 'IN_PROGRESS';
    const duration = record.phases.reduce((sum, p) => sum + (p.durationSeconds ?? 0), 0);
    return {
      buildId: record.buildId,
      projectName: record.projectName,
      status: record.status,
      startedAt: record.startTime,
      ...(record.endTime !== undefined ? { endedAt: record.endTime } : {}),
      ...(terminal ? { durationSeconds: Math.round(duration) } : {}),
      currentPhase: record.currentPhase,
      ...(record.failedPhase !== undefined ? { failedPhase: record.failedPhase } : {}),
      ...(record.failureMessage !== undefined ? { failureMessage: record.failureMessage } : {}),
      logsUrl: pathToFileURL(record.logFile).href,
      deploymentId: record.deploymentId,
    };
  }

  private save(record: BuildRecord): void {
    const file = join(this.options.stateDir, `${record.projectName}-${record.buildId.slice(record.projectName.length + 1)}${RECORD_SUFFIX}`);
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`);
    renameSync(temporary, file);
  }
}

function readRecord(file: string): BuildRecord | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<BuildRecord>;
    if (value.version !== 1 || typeof value.buildId !== 'string' || typeof value.projectName !== 'string' || !Array.isArray(value.phases)) return undefined;
    return value as BuildRecord;
  } catch {
    return undefined;
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function killGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Processes still running commands of a build (each carries the build id in its environment), found through /proc;
 * none where /proc is not available. Only processes of this user are readable, which are the only ones we may kill.
 */
function processesOfBuild(buildId: string): number[] {
  const marker = `SPA_CD_LOCAL_BUILD_ID=${buildId}`;
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(marker)) pids.push(pid);
    } catch {
      // Not ours, or gone.
    }
  }
  return pids;
}
