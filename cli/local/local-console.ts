/**
 * What local mode shows in the terminal: one line per event and per deployment status change, each with the time
 * since start; build output prefixed with `[<environment> build#<n>]`; reviews. Every value that comes from the
 * repository, git or the store is made terminal-safe. Also the Log and DeploymentNotifier ports for local mode.
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Deployment } from '../../shared/domain/deployment/deployment';
import type { DeploymentNotifier } from '../../shared/ports/deployment-notifier';
import type { Log } from '../../shared/ports/telemetry';
import { duration, shortCommit } from '../../shared/rendering/deployment-table';
import { terminalSafe } from '../../shared/rendering/diagnostics-text';

export interface ConsoleOutput {
  out(text: string): void;
  err(text: string): void;
}

export class LocalConsole {
  private readonly started: number;

  constructor(
    private readonly io: ConsoleOutput,
    private readonly clock: () => Date = () => new Date(),
    readonly verbose = false,
  ) {
    this.started = clock().getTime();
  }

  /** `[00:03.2]`: time since local mode started. */
  stamp(): string {
    const ms = Math.max(0, this.clock().getTime() - this.started);
    const minutes = Math.floor(ms / 60_000);
    const seconds = ((ms % 60_000) / 1000).toFixed(1).padStart(4, '0');
    return `[${String(minutes).padStart(2, '0')}:${seconds}]`;
  }

  line(text: string): void {
    this.io.out(`${this.stamp()} ${text}`);
  }

  /** Text that comes as is (build output, reviews): made terminal-safe line by line. */
  raw(text: string): void {
    this.io.out(text.split('\n').map(safeLine).join('\n'));
  }

  warn(text: string): void {
    this.io.err(`${this.stamp()} ! ${text}`);
  }
}

/** One line, control characters shown rather than interpreted (tabs kept). */
export function safeLine(text: string): string {
  return text
    .split('\t')
    .map((part) => terminalSafe(part))
    .join('\t');
}

export function safe(text: string): string {
  return terminalSafe(text);
}

/** Warnings the status lines show already. */
const SHOWN_BY_STATUS = new Set(['deployment rejected']);

/** The Log port: warnings and errors on the terminal, the rest only when verbose. */
export class ConsoleLog implements Log {
  constructor(private readonly console: LocalConsole) {}

  debug(message: string, attributes?: Record<string, unknown>): void {
    if (this.console.verbose) this.console.line(`  · ${format(message, attributes)}`);
  }

  info(message: string, attributes?: Record<string, unknown>): void {
    if (this.console.verbose) this.console.line(`  · ${format(message, attributes)}`);
  }

  warn(message: string, attributes?: Record<string, unknown>): void {
    if (SHOWN_BY_STATUS.has(message) && !this.console.verbose) return;
    this.console.warn(format(message, attributes));
  }

  error(message: string, attributes?: Record<string, unknown>): void {
    this.console.warn(`error: ${format(message, attributes)}`);
  }
}

function format(message: string, attributes?: Record<string, unknown>): string {
  const parts = Object.entries(attributes ?? {}).map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return terminalSafe([message, ...parts].join(' '));
}

/** The notifier port: one line per status change; remembers every deployment this run touched. */
export class ConsoleNotifier implements DeploymentNotifier {
  readonly touched = new Map<string, Deployment>();

  constructor(private readonly console: LocalConsole) {}

  async statusChanged(deployment: Deployment, previousStatus: Deployment['status'] | undefined): Promise<void> {
    this.touched.set(deployment.id, deployment);
    this.console.line(describeStatus(deployment, previousStatus));
  }
}

function logPath(url: string): string {
  try {
    const path = fileURLToPath(url);
    return relative(process.cwd(), path) || path;
  } catch {
    return url;
  }
}

export function describeStatus(d: Deployment, previous: Deployment['status'] | undefined): string {
  if (previous === d.status && d.status === 'STARTING' && d.buildId !== undefined) {
    const log = d.logsUrl?.startsWith('file://') ? `, log ${logPath(d.logsUrl)}` : '';
    return safe(`${d.environment}: build ${d.buildId} started${log}`);
  }
  const arrow = previous === undefined || previous === d.status ? d.status : `${previous} → ${d.status}`;
  const what = `settings ${shortCommit(d.settingsCommit)} SPA ${d.spaVersion || '-'}${d.spaCommit ? ` (${d.spaCommit.slice(0, 8)})` : ''}`;
  const details: string[] = [];
  if (d.status === 'IN_PROGRESS' && d.buildId) details.push(`build ${d.buildId}`);
  if (d.durationSeconds !== undefined && d.finishedAt !== undefined) details.push(`in ${duration(d.durationSeconds)}`);
  if (d.failedPhase) details.push(`failed phase ${d.failedPhase}`);
  if (d.reason && d.status !== 'SUCCEEDED') details.push(d.reason);
  return safe(`${d.environment}: ${arrow}  ${what}${details.length > 0 ? `  — ${details.join('; ')}` : ''}`);
}
