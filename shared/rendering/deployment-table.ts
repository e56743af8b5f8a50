/**
 * Terminal rendering of deployments: a readable table with relative times, durations and short commits.
 * Every value from the store is made terminal-safe (control characters shown, never interpreted).
 */
import type { Deployment } from '../domain/deployment/deployment';
import type { EnvironmentState } from '../ports/deployment-store';
import { terminalSafe } from './diagnostics-text';

export function relativeTime(iso: string | undefined, now: Date): string {
  if (iso === undefined) return '-';
  const ms = now.getTime() - Date.parse(iso);
  if (!Number.isFinite(ms)) return '-';
  const s = Math.round(Math.abs(ms) / 1000);
  const text = s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m` : s < 86_400 ? `${Math.floor(s / 3600)}h` : `${Math.floor(s / 86_400)}d`;
  return ms >= 0 ? `${text} ago` : `in ${text}`;
}

export function duration(seconds: number | undefined): string {
  if (seconds === undefined) return '-';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function shortCommit(commit: string | undefined): string {
  return commit === undefined || commit === '' ? '-' : commit.slice(0, 8);
}

function shortVersion(version: string): string {
  if (version === '') return '-';
  return /^[0-9a-f]{40}$/.test(version) ? version.slice(0, 8) : version.length > 20 ? `${version.slice(0, 19)}…` : version;
}

function shortPrincipal(principal: string): string {
  const last = principal.split('/').pop() ?? principal;
  return last.length > 24 ? `${last.slice(0, 23)}…` : last;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const safe = rows.map((row) => row.map((cell) => terminalSafe(cell)));
  const widths = header.map((h, i) => Math.max(h.length, ...safe.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), ...safe.map(line)].join('\n');
}

export function renderHistoryTable(deployments: readonly Deployment[], now: Date): string {
  if (deployments.length === 0) return 'no deployment recorded';
  return table(
    ['CREATED', 'ENVIRONMENT', 'STATUS', 'SETTINGS', 'SPA', 'TRIGGER', 'DURATION', 'BY', 'ID'],
    deployments.map((d) => [
      relativeTime(d.createdAt, now),
      d.environment,
      d.status,
      shortCommit(d.settingsCommit),
      shortVersion(d.spaVersion),
      d.trigger,
      duration(d.durationSeconds ?? (d.startedAt && !d.finishedAt ? (now.getTime() - Date.parse(d.startedAt)) / 1000 : undefined)),
      shortPrincipal(d.causedBy),
      d.id,
    ]),
  );
}

export function renderStatusTable(environments: readonly EnvironmentState[], now: Date): string {
  if (environments.length === 0) return 'no environment has been deployed yet';
  return table(
    ['ENVIRONMENT', 'RUNS SETTINGS', 'SPA', 'SINCE', 'NOW', 'QUEUED'],
    environments.map((e) => [
      e.name,
      shortCommit(e.lastSucceeded?.settingsCommit),
      e.lastSucceeded ? shortVersion(e.lastSucceeded.spaVersion) : '-',
      relativeTime(e.lastSucceeded?.since, now),
      e.running ? `deploying ${shortCommit(e.running.settingsCommit)} (${relativeTime(e.running.since, now)})` : 'idle',
      e.queued ? shortCommit(e.queued.settingsCommit) : '-',
    ]),
  );
}
