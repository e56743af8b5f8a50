/**
 * Parsing untrusted EventBridge input into typed events. Nothing here throws: a failure is a short reason fit for one
 * log line, built from zod's first issues (path and message) and never echoing a received value unescaped.
 */
import type { z } from 'zod';
import { buildStateChangeSchema, parseBuildArn } from './codebuild';
import { pullRequestCommentSchema, pullRequestStateChangeSchema, repositoryStateChangeSchema } from './codecommit';
import { REPOSITORY_ARN } from './primitives';

export const EVENT_SCHEMAS = {
  'repository-state-change': repositoryStateChangeSchema,
  'pull-request-state-change': pullRequestStateChangeSchema,
  'pull-request-comment': pullRequestCommentSchema,
  'build-state-change': buildStateChangeSchema,
} as const;

export type EventKind = keyof typeof EVENT_SCHEMAS;
export type EventOf<K extends EventKind> = z.infer<(typeof EVENT_SCHEMAS)[K]>;
export type ParseResult<T> = { readonly ok: true; readonly event: T } | { readonly ok: false; readonly reason: string };

/** The EventBridge `detail-type` of each kind. */
export const DETAIL_TYPES: { readonly [K in EventKind]: string } = {
  'repository-state-change': 'CodeCommit Repository State Change',
  'pull-request-state-change': 'CodeCommit Pull Request State Change',
  'pull-request-comment': 'CodeCommit Comment on Pull Request',
  'build-state-change': 'CodeBuild Build State Change',
};

const MAX_REASON = 300;

/**
 * Makes any string safe for a log line or a message: control, format (bidi, zero-width) and separator characters other
 * than a plain space become `\u{...}` escapes, and the result is cut to `max` characters with an ellipsis.
 */
export function escapeForLog(value: string, max = 120): string {
  const escaped = value.replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]|[^\S ]/gu, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`);
  return escaped.length > max ? `${escaped.slice(0, max - 1)}…` : escaped;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(event)';
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${escapeForLog(String(key), 40)}`))
    .join('');
}

/** `detail.commitId: expected a full 40-character ...; detail.title: ... (+2 more)`. */
export function summarizeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, 2).map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  const more = issues.length > 2 ? ` (+${issues.length - 2} more)` : '';
  return escapeForLog(`${shown.join('; ')}${more}`, MAX_REASON);
}

/** Validates `input` as an event of `kind`. Never throws. */
export function parseEvent<K extends EventKind>(kind: K, input: unknown): ParseResult<EventOf<K>> {
  const schema: z.ZodType<EventOf<K>> = EVENT_SCHEMAS[kind] as unknown as z.ZodType<EventOf<K>>;
  try {
    const result = schema.safeParse(input);
    if (result.success) return { ok: true, event: result.data };
    return { ok: false, reason: summarizeIssues(result.error.issues) };
  } catch (error) {
    // Only a hostile object (throwing getter, revoked proxy) gets here.
    return { ok: false, reason: `unreadable event: ${escapeForLog(error instanceof Error ? error.message : String(error))}` };
  }
}

export type AnyEvent = { [K in EventKind]: { readonly kind: K; readonly event: EventOf<K> } }[EventKind];

/** Picks the schema from `detail-type` and validates. Never throws. */
export function parseAnyEvent(input: unknown): { readonly ok: true; readonly value: AnyEvent } | { readonly ok: false; readonly reason: string } {
  let detailType: unknown;
  try {
    detailType = typeof input === 'object' && input !== null ? (input as Record<string, unknown>)['detail-type'] : undefined;
  } catch {
    detailType = undefined;
  }
  const kind = (Object.keys(DETAIL_TYPES) as EventKind[]).find((k) => DETAIL_TYPES[k] === detailType);
  if (kind === undefined) {
    const shown = typeof detailType === 'string' ? `"${escapeForLog(detailType, 80)}"` : typeof detailType;
    return { ok: false, reason: `detail-type: unsupported event type ${shown}` };
  }
  const parsed = parseEvent(kind, input);
  return parsed.ok ? { ok: true, value: { kind, event: parsed.event } as AnyEvent } : parsed;
}

export interface ExpectedOrigin {
  /** The account the events must come from (CloudOps for CodeCommit, DevOps for CodeBuild). */
  readonly account: string;
  readonly region: string;
  /** For CodeCommit events: the settings repository. */
  readonly repositoryName?: string;
  /** For CodeBuild events: the projects of the configured environments. */
  readonly projectNames?: readonly string[];
}

type ParsedEvent = EventOf<EventKind>;

const ARN_LOCATION = /^arn:[a-z-]+:[a-z0-9-]+:([a-z0-9-]*):(\d{12})?:/;

/**
 * Why this (already validated) event is not ours, or undefined when it is: another account or region (envelope or
 * resource ARNs), another repository, a project that is not one of the configured environments.
 */
export function isForeign(event: ParsedEvent, expected: ExpectedOrigin): string | undefined {
  if (event.account !== expected.account) return `account ${event.account} is not the expected ${expected.account}`;
  if (event.region !== expected.region) return `region ${event.region} is not the expected ${expected.region}`;
  for (const resource of event.resources) {
    const location = ARN_LOCATION.exec(resource);
    if (!location) continue;
    if (location[1] && location[1] !== expected.region) return `resource in region ${location[1]}, expected ${expected.region}`;
    if (location[2] && location[2] !== expected.account) return `resource in account ${location[2]}, expected ${expected.account}`;
  }
  if (event.source === 'aws.codebuild') return foreignBuild(event as EventOf<'build-state-change'>, expected);
  return foreignRepository(event as Exclude<ParsedEvent, EventOf<'build-state-change'>>, expected);
}

function foreignBuild(event: EventOf<'build-state-change'>, expected: ExpectedOrigin): string | undefined {
  const arn = parseBuildArn(event.detail['build-id']);
  if (!arn) return 'build-id is not a build ARN';
  if (arn.account !== expected.account) return `build in account ${arn.account}, expected ${expected.account}`;
  if (arn.region !== expected.region) return `build in region ${arn.region}, expected ${expected.region}`;
  const project = event.detail['project-name'];
  if (expected.projectNames !== undefined && !expected.projectNames.includes(project)) {
    return `project ${project} is not a configured environment project`;
  }
  return undefined;
}

function foreignRepository(
  event: EventOf<'repository-state-change' | 'pull-request-state-change' | 'pull-request-comment'>,
  expected: ExpectedOrigin,
): string | undefined {
  if (expected.repositoryName === undefined) return undefined;
  const names = 'repositoryNames' in event.detail ? event.detail.repositoryNames : [event.detail.repositoryName];
  const other = names.find((name) => name !== expected.repositoryName);
  if (other !== undefined) return `repository ${other} is not the expected ${expected.repositoryName}`;
  for (const resource of event.resources) {
    const repo = REPOSITORY_ARN.exec(resource);
    if (repo && repo[3] !== expected.repositoryName) return `resource repository ${repo[3]} is not the expected ${expected.repositoryName}`;
  }
  return undefined;
}
