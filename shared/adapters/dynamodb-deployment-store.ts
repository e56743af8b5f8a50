/**
 * DeploymentStore on one DynamoDB table (single-table design; docs/history-table.md explains every item, key and
 * condition). Runs unchanged on AWS and on dynalite (local mode, tests).
 *
 * Atomicity comes from single-item conditional writes only: dynalite has no TransactWriteItems (and ignores
 * ReturnValuesOnConditionCheckFailure). The environment item is the one place where "who runs" and "who waits" are
 * decided; the deployment items follow it with rank-conditioned updates, and every half-done step is finished by
 * the next call on the same deployment or environment (or listed by `listRunning` for the reconciler).
 */
import { CreateTableCommand, DescribeTableCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { DEPLOYMENT_STATUSES, DEPLOYMENT_TRIGGERS, type Deployment, type DeploymentStatus } from '../domain/deployment/deployment';
import { automaticDeploymentId, isAutomaticTrigger } from '../domain/deployment/deployment-id';
import { InvalidOrderError, normaliseTime, orderKeyOf } from '../domain/deployment/deployment-order';
import { decideQueueAction, decideRelease, supersededReason, type EnvironmentLease, type LeaseSlot } from '../domain/deployment/deployment-queue';
import { allowedPredecessors, isInitialStatus, isRunning, isTerminal, nextStatusForBuild } from '../domain/deployment/deployment-state';
import { isAwsError } from './aws-errors';
import type { Diagnostic } from '../domain/settings/diagnostics';
import {
  CorruptRecordError,
  DeploymentNotFoundError,
  InvalidCursorError,
  InvalidDeploymentError,
  InvalidHistoryQueryError,
  StoreContentionError,
  type ApplyBuildResult,
  type BuildStarted,
  type BuildStateUpdate,
  type CreateResult,
  type DeploymentStore,
  type DeploymentSummary,
  type EnvironmentState,
  type FinishResult,
  type HistoryPage,
  type HistoryQuery,
  type NewDeployment,
  type RecordBuildResult,
  type ReleaseResult,
  type RunningOverview,
  type StartOrQueueResult,
} from '../ports/deployment-store';

// ---------------------------------------------------------------------------------------------------------------
// Table definition (the CDK stack mirrors it: import these constants)

export interface HistoryIndex {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly projection: 'ALL' | 'KEYS_ONLY';
}

export const HISTORY_TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

export const HISTORY_INDEXES = {
  /** (1) the deployments of an environment, newest first. */
  byEnvironment: { indexName: 'byEnvironment', partitionKey: 'environment', sortKey: 'orderKey', projection: 'ALL' },
  /** (1) filtered by status, without FilterExpression: partition `<env>#<STATUS>`. */
  byEnvironmentStatus: { indexName: 'byEnvironmentStatus', partitionKey: 'environmentStatus', sortKey: 'orderKey', projection: 'ALL' },
  /** (7) by status across environments; the reconciler's STARTING / IN_PROGRESS / QUEUED lists. */
  byStatus: { indexName: 'byStatus', partitionKey: 'status', sortKey: 'orderKey', projection: 'ALL' },
  /** (3) the deployments of a settings commit. */
  byCommit: { indexName: 'byCommit', partitionKey: 'settingsCommit', sortKey: 'orderKey', projection: 'ALL' },
  /** (7) every deployment, newest first: constant partition `ALL`. */
  byTime: { indexName: 'byTime', partitionKey: 'timeline', sortKey: 'orderKey', projection: 'ALL' },
  /** (4) the deployment of a build (sparse: only items with a build id). */
  byBuild: { indexName: 'byBuild', partitionKey: 'buildId', projection: 'KEYS_ONLY' },
  /** (6) successful deployments per environment and SPA version (sparse: set when SUCCEEDED). */
  byVersionReached: { indexName: 'byVersionReached', partitionKey: 'versionReached', sortKey: 'orderKey', projection: 'KEYS_ONLY' },
} as const satisfies Record<string, HistoryIndex>;

/** The CreateTable input of the history table: on-demand, string keys, the indexes above. */
export function historyTableDefinition(tableName: string): CreateTableCommandInput {
  const indexes: readonly HistoryIndex[] = Object.values(HISTORY_INDEXES);
  const attributes = new Set<string>([HISTORY_TABLE_KEYS.partitionKey, HISTORY_TABLE_KEYS.sortKey]);
  for (const index of indexes) {
    attributes.add(index.partitionKey);
    if (index.sortKey !== undefined) attributes.add(index.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: HISTORY_TABLE_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: HISTORY_TABLE_KEYS.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: indexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        ...(index.sortKey === undefined ? [] : [{ AttributeName: index.sortKey, KeyType: 'RANGE' as const }]),
      ],
      Projection: { ProjectionType: index.projection },
    })),
  };
}

/** Creates the table (an existing one is accepted) and waits until it and its indexes are ACTIVE. */
export async function createTable(client: DynamoDBDocumentClient, tableName: string, timeoutMs = 60_000): Promise<void> {
  try {
    await client.send(new CreateTableCommand(historyTableDefinition(tableName)));
  } catch (error) {
    if (!isAwsError(error, 'ResourceInUseException')) throw error;
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    if (Date.now() > deadline) throw new Error(`table ${tableName} is not ACTIVE after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Keys and item shapes

const ENVIRONMENTS_PARTITION = 'ENVIRONMENTS';
const DEPLOYMENT_SORT = 'DEPLOYMENT';
const TIMELINE = 'ALL';
const MAX_ATTEMPTS = 25;
const MAX_LIMIT = 1000;
const MAX_TEXT = 2048;
const MAX_REASON = 4000;
const MAX_DIAGNOSTICS = 100;
const MAX_DIAGNOSTIC_TEXT = 1000;
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const COMMIT_PATTERN = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

type Item = Record<string, unknown>;
type Key = { pk: string; sk: string };

function deploymentKey(id: string): Key {
  return { pk: `DEPLOYMENT#${id}`, sk: DEPLOYMENT_SORT };
}

function environmentKey(environment: string): Key {
  return { pk: ENVIRONMENTS_PARTITION, sk: `ENV#${environment}` };
}

/** Environment names are escaped so `#` inside a name cannot make two partitions collide. */
export function environmentStatusKey(environment: string, status: DeploymentStatus): string {
  return `${encodeURIComponent(environment)}#${status}`;
}

export function versionReachedKey(environment: string, spaVersion: string): string {
  return `${encodeURIComponent(environment)}#${spaVersion}`;
}

const diagnosticSchema = z.object({
  file: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  message: z.string(),
  hint: z.string().optional(),
});

const deploymentItemSchema = z.object({
  kind: z.literal('deployment'),
  id: z.string().min(1),
  environment: z.string().min(1),
  status: z.enum(DEPLOYMENT_STATUSES),
  settingsCommit: z.string().min(1),
  environmentPath: z.string(),
  spaVersion: z.string(),
  spaCommit: z.string().optional(),
  codeGitUrl: z.string(),
  trigger: z.enum(DEPLOYMENT_TRIGGERS),
  causedBy: z.string(),
  pullRequestId: z.string().optional(),
  buildId: z.string().optional(),
  logsUrl: z.string().optional(),
  createdAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  durationSeconds: z.number().optional(),
  failedPhase: z.string().optional(),
  reason: z.string().optional(),
  orderKey: z.string().min(1),
  claimedAt: z.string().optional(),
  diagnostics: z.array(diagnosticSchema).optional(),
  diagnosticsOmitted: z.number().int().nonnegative().optional(),
  previousStatus: z.enum(DEPLOYMENT_STATUSES).optional(),
});

type StoredDeployment = Deployment & { readonly orderKey: string };

const summarySchema = z.object({
  id: z.string().min(1),
  settingsCommit: z.string(),
  spaVersion: z.string(),
  spaCommit: z.string().optional(),
  orderKey: z.string().min(1),
  since: z.string(),
});

const environmentItemSchema = z.object({
  kind: z.literal('environment'),
  name: z.string().min(1),
  firstSeenAt: z.string(),
  running: z.string().optional(),
  runningOrder: z.string().optional(),
  runningInfo: summarySchema.optional(),
  queued: z.string().optional(),
  queuedOrder: z.string().optional(),
  queuedInfo: summarySchema.optional(),
  startedId: z.string().optional(),
  startedOrder: z.string().optional(),
  promotedFrom: z.string().optional(),
  lastSucceeded: summarySchema.optional(),
});
type EnvironmentItem = z.infer<typeof environmentItemSchema>;

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(item)'}: ${issue.message}`)
    .join('; ');
}

function where(item: Item): string {
  return `${String(item.pk ?? '?')} / ${String(item.sk ?? '?')}`;
}

/** Drops undefined values (the document client refuses them unless configured otherwise). */
function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[key] = Array.isArray(v) ? v.map((x: unknown) => (x !== null && typeof x === 'object' ? compact(x) : x)) : v !== null && typeof v === 'object' ? compact(v) : v;
  }
  return out as T;
}

function toDeployment(item: Item): StoredDeployment {
  const parsed = deploymentItemSchema.safeParse(item);
  if (!parsed.success) throw new CorruptRecordError(`deployment item ${where(item)} is malformed: ${describeIssues(parsed.error)}`);
  const { kind: _kind, previousStatus: _previous, ...deployment } = parsed.data;
  return compact(deployment);
}

function toEnvironmentItem(item: Item): EnvironmentItem {
  const parsed = environmentItemSchema.safeParse(item);
  if (!parsed.success) throw new CorruptRecordError(`environment item ${where(item)} is malformed: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

function toEnvironmentState(item: EnvironmentItem): EnvironmentState {
  return compact({ name: item.name, firstSeenAt: item.firstSeenAt, running: item.runningInfo, queued: item.queuedInfo, lastSucceeded: item.lastSucceeded });
}

function leaseOf(item: EnvironmentItem | undefined): EnvironmentLease {
  if (item === undefined) return {};
  const slot = (id: string | undefined, orderKey: string | undefined): LeaseSlot | undefined =>
    id !== undefined && orderKey !== undefined ? { id, orderKey } : undefined;
  return compact({
    running: slot(item.running, item.runningOrder),
    queued: slot(item.queued, item.queuedOrder),
    lastStarted: slot(item.startedId, item.startedOrder),
  });
}

function summaryOf(d: StoredDeployment, since: string): DeploymentSummary {
  return compact({ id: d.id, settingsCommit: d.settingsCommit, spaVersion: d.spaVersion, spaCommit: d.spaCommit, orderKey: d.orderKey, since });
}

function idFromKey(pk: unknown): string | undefined {
  return typeof pk === 'string' && pk.startsWith('DEPLOYMENT#') ? pk.slice('DEPLOYMENT#'.length) : undefined;
}

function truncate(text: string | undefined, max: number): string | undefined {
  if (text === undefined) return undefined;
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function capDiagnostics(diagnostics: readonly Diagnostic[] | undefined): { diagnostics?: Diagnostic[]; diagnosticsOmitted?: number } {
  if (diagnostics === undefined || diagnostics.length === 0) return {};
  const kept = diagnostics.slice(0, MAX_DIAGNOSTICS).map((d) =>
    compact({
      file: truncate(d.file, MAX_DIAGNOSTIC_TEXT) ?? '',
      line: d.line,
      column: d.column,
      severity: d.severity,
      code: truncate(d.code, 200) ?? '',
      message: truncate(d.message, MAX_DIAGNOSTIC_TEXT) ?? '',
      hint: truncate(d.hint, MAX_DIAGNOSTIC_TEXT),
    }),
  );
  const omitted = diagnostics.length - kept.length;
  return omitted > 0 ? { diagnostics: kept, diagnosticsOmitted: omitted } : { diagnostics: kept };
}

function isConditionFailure(error: unknown): boolean {
  return isAwsError(error, 'ConditionalCheckFailedException');
}

/** Builds expression attribute names and values; every attribute goes through an alias (many are reserved words). */
class Expression {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};
  private count = 0;

  name(attribute: string): string {
    const alias = `#${attribute}`;
    this.names[alias] = attribute;
    return alias;
  }

  path(...attributes: string[]): string {
    return attributes.map((a) => this.name(a)).join('.');
  }

  value(value: unknown): string {
    const alias = `:v${this.count}`;
    this.count += 1;
    this.values[alias] = value;
    return alias;
  }

  list(values: readonly unknown[]): string {
    return values.map((v) => this.value(v)).join(', ');
  }

  sets(values: Record<string, unknown>): string[] {
    return Object.entries(values)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${this.name(k)} = ${this.value(v)}`);
  }

  setsIfNotExists(values: Record<string, unknown>): string[] {
    return Object.entries(values)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${this.name(k)} = if_not_exists(${this.name(k)}, ${this.value(v)})`);
  }
}

function updateExpression(sets: readonly string[], removes: readonly string[] = []): string {
  return [sets.length > 0 ? `SET ${sets.join(', ')}` : '', removes.length > 0 ? `REMOVE ${removes.join(', ')}` : ''].filter(Boolean).join(' ');
}

// ---------------------------------------------------------------------------------------------------------------
// Cursors

const cursorSchema = z.object({
  v: z.literal(1),
  i: z.string(),
  p: z.string(),
  o: z.string().min(1).max(512),
  d: z.string().regex(ID_PATTERN),
});

interface QueryPlan {
  readonly index: HistoryIndex;
  readonly partitionValue: string;
  readonly filter?: { readonly environment?: string; readonly status?: DeploymentStatus };
}

function encodeCursor(plan: QueryPlan, last: StoredDeployment): string {
  const body = { v: 1, i: plan.index.indexName, p: plan.partitionValue, o: last.orderKey, d: last.id };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

function decodeCursor(plan: QueryPlan, cursor: string): Item {
  if (cursor.length === 0 || cursor.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursorError('it is not a base64url string of at most 2048 characters');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('it does not decode to a cursor');
  }
  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success) throw new InvalidCursorError('it does not decode to a cursor');
  const { i, p, o, d } = parsed.data;
  if (i !== plan.index.indexName || p !== plan.partitionValue) throw new InvalidCursorError('it belongs to another query (other --env, --status or --commit)');
  if (!o.endsWith(`#${d}`)) throw new InvalidCursorError('it is damaged');
  return { ...deploymentKey(d), [plan.index.partitionKey]: p, orderKey: o };
}

// ---------------------------------------------------------------------------------------------------------------

/** Counters of what the store asked DynamoDB for (benchmarks: items read per page, requests per deployment life). */
export interface StoreMetrics {
  readRequests: number;
  /** Items evaluated by queries (ScannedCount) plus items returned by GetItem. */
  readItems: number;
  /** PutItem and UpdateItem requests, including those refused by their condition (they are billed too). */
  writeRequests: number;
  conditionFailures: number;
  /** Sum of ConsumedCapacity.CapacityUnits as DynamoDB reported them (TOTAL, indexes included). */
  capacityUnits: number;
}

export interface DynamoDbDeploymentStoreOptions {
  /** The time of status changes and leases; tests pass a fixed clock. */
  readonly clock?: () => Date;
}

type Transition =
  | { readonly changed: true; readonly deployment: StoredDeployment; readonly previousStatus: DeploymentStatus }
  | { readonly changed: false; readonly deployment: StoredDeployment | undefined };

interface DeploymentRef {
  readonly id: string;
  readonly environment: string;
  readonly spaVersion: string;
}

export class DynamoDbDeploymentStore implements DeploymentStore {
  readonly metrics: StoreMetrics = { readRequests: 0, readItems: 0, writeRequests: 0, conditionFailures: 0, capacityUnits: 0 };
  private readonly clock: () => Date;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
    options: DynamoDbDeploymentStoreOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  resetMetrics(): void {
    Object.assign(this.metrics, { readRequests: 0, readItems: 0, writeRequests: 0, conditionFailures: 0, capacityUnits: 0 });
  }

  // ---- creation and lookups ------------------------------------------------------------------------------------

  async createDeployment(input: NewDeployment): Promise<CreateResult> {
    const item = this.newItem(input);
    const now = this.now();
    // The registry entry is written by every call (also a duplicate's), so a crash between the two writes is repaired by
    // the retry: an environment is listed by `status` even when all it has is a REJECTED deployment. Both in parallel.
    const e = new Expression();
    const [, written] = await Promise.all([
      this.upsertEnvironment(input.environment, now),
      this.put({
        TableName: this.tableName,
        Item: item,
        ConditionExpression: `attribute_not_exists(${e.name('pk')})`,
        ExpressionAttributeNames: e.names,
      }),
    ]);
    if (written) return { created: true, deployment: toDeployment(item) };
    const existing = await this.get(input.id);
    if (existing === undefined) throw new StoreContentionError(`deployment ${input.id} exists and cannot be read back; retry`);
    return { created: false, deployment: existing };
  }

  async get(id: string): Promise<StoredDeployment | undefined> {
    const item = await this.getItem(deploymentKey(id));
    return item === undefined ? undefined : toDeployment(item);
  }

  async findAutomaticAttempt(environment: string, settingsCommit: string): Promise<Deployment | undefined> {
    return this.get(automaticDeploymentId(environment, settingsCommit));
  }

  // ---- the queue -----------------------------------------------------------------------------------------------

  async startOrQueue(id: string, known?: Deployment): Promise<StartOrQueueResult> {
    // A deployment the caller just read or created saves a read; any later decision re-reads what it needs.
    let deployment = known !== undefined && known.id === id && known.orderKey !== undefined ? (known as StoredDeployment) : await this.mustGet(id);
    let lease: EnvironmentLease | undefined; // unknown on the first pass: try to take the environment optimistically
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      if (deployment.status !== 'QUEUED') {
        return isRunning(deployment.status) ? { action: 'in-flight', deployment } : { action: 'none', deployment };
      }
      const slot: LeaseSlot = { id: deployment.id, orderKey: deployment.orderKey };
      const decision = lease === undefined ? ({ kind: 'claim' } as const) : decideQueueAction(lease, slot);
      if (decision.kind === 'claim') {
        if (await this.claim(deployment)) {
          const moved = await this.transition(deployment, 'STARTING', { claimedAt: this.now() });
          if (moved.changed) return { action: 'start', deployment: moved.deployment };
          deployment = moved.deployment ?? (await this.mustGet(id));
          if (isTerminal(deployment.status)) await this.release(deployment.environment, deployment.id);
          continue;
        }
      } else if (decision.kind === 'queue') {
        const old = await this.enqueue(deployment);
        if (old !== false) {
          const superseded: Deployment[] = [];
          if (old.queuedInfo !== undefined && old.queuedInfo.id !== deployment.id) {
            const ref = { id: old.queuedInfo.id, environment: deployment.environment, spaVersion: old.queuedInfo.spaVersion };
            const result = await this.transition(ref, 'SUPERSEDED', { reason: supersededReason(deployment.id), finishedAt: this.now() });
            if (result.changed) superseded.push(result.deployment);
          }
          return { action: 'queued', deployment, runningId: old.running ?? '', superseded };
        }
      } else {
        const result = await this.transition(deployment, 'SUPERSEDED', { reason: supersededReason(decision.by), finishedAt: this.now() });
        if (result.changed) return { action: 'superseded', deployment: result.deployment, by: decision.by };
        deployment = result.deployment ?? (await this.mustGet(id));
        if (deployment.status === 'SUPERSEDED') return { action: 'superseded', deployment, by: decision.by };
        continue;
      }
      lease = leaseOf(await this.readEnvironment(deployment.environment));
    }
    throw new StoreContentionError(`environment ${deployment.environment}: gave up queueing deployment ${id} after ${MAX_ATTEMPTS} concurrent changes; retry`);
  }

  async recordBuildStarted(id: string, build: BuildStarted): Promise<RecordBuildResult> {
    const e = new Expression();
    const sets = [...e.sets({ buildId: build.buildId, logsUrl: build.logsUrl }), ...e.setsIfNotExists({ startedAt: build.startedAt })];
    const starting = e.list(['STARTING', 'IN_PROGRESS']);
    const pk = e.name('pk');
    const buildId = e.name('buildId');
    const sameBuild = e.value(build.buildId);
    const updated = await this.update({
      TableName: this.tableName,
      Key: deploymentKey(id),
      UpdateExpression: updateExpression(sets),
      ConditionExpression: `attribute_exists(${pk}) AND ((attribute_not_exists(${buildId}) AND ${e.name('status')} IN (${starting})) OR ${buildId} = ${sameBuild})`,
      ExpressionAttributeNames: e.names,
      ExpressionAttributeValues: e.values,
      ReturnValues: 'ALL_NEW',
    });
    if (updated !== false) return { outcome: 'recorded', deployment: toDeployment(updated) };
    const current = await this.mustGet(id);
    if (current.buildId !== undefined && current.buildId !== build.buildId) return { outcome: 'other-build', deployment: current };
    return { outcome: 'not-starting', deployment: current };
  }

  async applyBuildState(update: BuildStateUpdate): Promise<ApplyBuildResult> {
    let deployment = update.deploymentId !== undefined && ID_PATTERN.test(update.deploymentId) ? await this.get(update.deploymentId) : undefined;
    deployment ??= await this.byBuildId(update.buildId);
    if (deployment === undefined) return { outcome: 'unknown-build' };
    if (deployment.buildId !== undefined && deployment.buildId !== update.buildId) return { outcome: 'other-build', deployment };
    // The record was read consistently and status only moves forward: a refused move needs no (billed) refused write.
    const to = nextStatusForBuild(deployment.status, update.status);
    const terminal = to !== undefined && isTerminal(to);
    const result: Transition = to === undefined ? { changed: false, deployment } : await this.transition(
      deployment,
      to,
      {
        buildId: update.buildId,
        logsUrl: update.logsUrl,
        ...(terminal
          ? {
              finishedAt: update.endedAt ?? this.now(),
              durationSeconds: update.durationSeconds,
              failedPhase: truncate(update.failedPhase, MAX_TEXT),
              reason: truncate(update.failureMessage, MAX_REASON),
            }
          : {}),
      },
      {
        ifNotExists: { startedAt: update.startedAt },
        condition: (e) => `attribute_not_exists(${e.name('buildId')}) OR ${e.name('buildId')} = ${e.value(update.buildId)}`,
      },
    );
    if (result.changed) {
      const next = isTerminal(result.deployment.status) ? (await this.release(result.deployment.environment, result.deployment.id, result.deployment)).next : undefined;
      return compact({ outcome: 'applied', deployment: result.deployment, previousStatus: result.previousStatus, next });
    }
    const current = result.deployment;
    if (current === undefined) return { outcome: 'unknown-build' };
    if (current.buildId !== undefined && current.buildId !== update.buildId) return { outcome: 'other-build', deployment: current };
    // A duplicate terminal event still finishes a release that a crash interrupted.
    const next = isTerminal(current.status) ? (await this.release(current.environment, current.id, current)).next : undefined;
    return compact({ outcome: 'stale', deployment: current, next });
  }

  async markFailedToStart(id: string, reason: string): Promise<FinishResult> {
    const deployment = await this.mustGet(id);
    const result = await this.transition(deployment, 'FAILED_TO_START', { reason: truncate(reason, MAX_REASON), finishedAt: this.now() });
    const current = result.deployment ?? (await this.mustGet(id));
    const next = isTerminal(current.status) ? (await this.release(current.environment, current.id, current)).next : undefined;
    return compact({ changed: result.changed, deployment: current, next });
  }

  async markRejected(id: string, reason: string, diagnostics?: readonly Diagnostic[]): Promise<FinishResult> {
    const deployment = await this.mustGet(id);
    const result = await this.transition(deployment, 'REJECTED', { reason: truncate(reason, MAX_REASON), finishedAt: this.now(), ...capDiagnostics(diagnostics) });
    const current = result.deployment ?? (await this.mustGet(id));
    let next: Deployment | undefined;
    if (isTerminal(current.status)) {
      await this.dequeue(current.environment, current.id);
      next = (await this.release(current.environment, current.id, current)).next;
    }
    return compact({ changed: result.changed, deployment: current, next });
  }

  async releaseEnvironment(environment: string, deploymentId: string): Promise<ReleaseResult> {
    const deployment = await this.get(deploymentId);
    if (deployment !== undefined && !isTerminal(deployment.status)) return { released: false };
    return this.release(environment, deploymentId, deployment);
  }

  // ---- reconciler views ----------------------------------------------------------------------------------------

  async findStarting(environment: string): Promise<Deployment[]> {
    return this.queryAll(HISTORY_INDEXES.byEnvironmentStatus, environmentStatusKey(environment, 'STARTING'));
  }

  async listRunning(): Promise<RunningOverview> {
    const [environments, starting, inProgress, queued] = await Promise.all([
      this.environmentItems(),
      this.queryAll(HISTORY_INDEXES.byStatus, 'STARTING'),
      this.queryAll(HISTORY_INDEXES.byStatus, 'IN_PROGRESS'),
      this.queryAll(HISTORY_INDEXES.byStatus, 'QUEUED'),
    ]);
    const known = new Map<string, StoredDeployment>([...starting, ...inProgress, ...queued].map((d) => [d.id, d]));
    const toStart = new Map<string, Deployment>();
    const staleLeases: { environment: string; deploymentId: string }[] = [];
    const byName = new Map(environments.map((env) => [env.name, env]));
    for (const env of environments) {
      if (env.running === undefined) continue;
      const holder = known.get(env.running) ?? (await this.get(env.running));
      if (holder === undefined || isTerminal(holder.status)) staleLeases.push({ environment: env.name, deploymentId: env.running });
      else if (holder.status === 'QUEUED') toStart.set(holder.id, holder);
    }
    for (const d of queued) {
      const env = byName.get(d.environment);
      const waitsProperly = env?.running !== undefined && (env.running === d.id || env.queued === d.id);
      if (!waitsProperly) toStart.set(d.id, d);
    }
    return { active: [...starting, ...inProgress], toStart: [...toStart.values()], staleLeases };
  }

  // ---- history -------------------------------------------------------------------------------------------------

  async listEnvironments(): Promise<EnvironmentState[]> {
    return (await this.environmentItems()).map(toEnvironmentState);
  }

  async environmentState(environment: string): Promise<EnvironmentState | undefined> {
    const item = await this.readEnvironment(environment);
    return item === undefined ? undefined : toEnvironmentState(item);
  }

  async history(query: HistoryQuery): Promise<HistoryPage> {
    const { limit } = query;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new InvalidHistoryQueryError(`limit must be an integer from 1 to ${MAX_LIMIT}, got ${String(limit)}`);
    if (query.status !== undefined && !(DEPLOYMENT_STATUSES as readonly string[]).includes(query.status)) {
      throw new InvalidHistoryQueryError(`unknown status '${String(query.status)}'; use one of ${DEPLOYMENT_STATUSES.join(', ')}`);
    }
    if (query.environment !== undefined && !isText(query.environment)) throw new InvalidHistoryQueryError('environment must be a non-empty name');
    if (query.commit !== undefined && !isText(query.commit)) throw new InvalidHistoryQueryError('commit must be a non-empty commit id');
    const plan = planFor(query);
    let startKey = query.cursor === undefined ? undefined : decodeCursor(plan, query.cursor);
    // Read one item more than asked: it tells whether a next page exists without a second request.
    const wanted = limit + 1;
    const collected: StoredDeployment[] = [];
    do {
      const page = await this.queryPage(plan, wanted - collected.length, startKey);
      collected.push(...page.items);
      startKey = page.lastKey;
    } while (collected.length < wanted && startKey !== undefined);
    const items = collected.slice(0, limit);
    const last = items[items.length - 1];
    return collected.length > limit && last !== undefined ? { items, nextCursor: encodeCursor(plan, last) } : { items };
  }

  async byBuildId(buildId: string): Promise<StoredDeployment | undefined> {
    if (!isText(buildId)) return undefined;
    const keys = await this.queryKeys(HISTORY_INDEXES.byBuild, buildId, 1, true);
    const id = idFromKey(keys[0]?.pk);
    return id === undefined ? undefined : this.get(id);
  }

  async byCommit(settingsCommit: string): Promise<Deployment[]> {
    if (!isText(settingsCommit)) return [];
    return this.queryAll(HISTORY_INDEXES.byCommit, settingsCommit);
  }

  async firstSuccessWithVersion(environment: string, spaVersion: string): Promise<Deployment | undefined> {
    const keys = await this.queryKeys(HISTORY_INDEXES.byVersionReached, versionReachedKey(environment, spaVersion), 1, true);
    const id = idFromKey(keys[0]?.pk);
    return id === undefined ? undefined : this.get(id);
  }

  // ---- internals: the environment item ---------------------------------------------------------------------------

  private async upsertEnvironment(environment: string, now: string): Promise<void> {
    const e = new Expression();
    await this.update({
      TableName: this.tableName,
      Key: environmentKey(environment),
      UpdateExpression: updateExpression([...e.sets({ kind: 'environment', name: environment }), ...e.setsIfNotExists({ firstSeenAt: now })]),
      ExpressionAttributeNames: e.names,
      ExpressionAttributeValues: e.values,
    });
  }

  private async readEnvironment(environment: string): Promise<EnvironmentItem | undefined> {
    const item = await this.getItem(environmentKey(environment));
    return item === undefined ? undefined : toEnvironmentItem(item);
  }

  private async environmentItems(): Promise<EnvironmentItem[]> {
    const items: EnvironmentItem[] = [];
    let startKey: Item | undefined;
    do {
      const e = new Expression();
      const page = await this.query({
        TableName: this.tableName,
        KeyConditionExpression: `${e.name('pk')} = ${e.value(ENVIRONMENTS_PARTITION)}`,
        ExpressionAttributeNames: e.names,
        ExpressionAttributeValues: e.values,
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      });
      items.push(...page.items.map(toEnvironmentItem));
      startKey = page.lastKey;
    } while (startKey !== undefined);
    return items;
  }

  /** Takes the environment for `d` if it is free and nothing newer ever started there (or `d` holds it already). */
  private async claim(d: StoredDeployment): Promise<boolean> {
    const e = new Expression();
    const now = this.now();
    const running = e.name('running');
    const startedOrder = e.name('startedOrder');
    const startedId = e.name('startedId');
    const id = e.value(d.id);
    const order = e.value(d.orderKey);
    const sets = [
      ...e.sets({ kind: 'environment', name: d.environment }),
      ...e.setsIfNotExists({ firstSeenAt: now, runningInfo: summaryOf(d, now) }),
      `${running} = ${id}`,
      `${e.name('runningOrder')} = ${order}`,
      `${startedId} = ${id}`,
      `${startedOrder} = ${order}`,
    ];
    const result = await this.update({
      TableName: this.tableName,
      Key: environmentKey(d.environment),
      UpdateExpression: updateExpression(sets),
      ConditionExpression: `(attribute_not_exists(${running}) AND (attribute_not_exists(${startedOrder}) OR ${startedOrder} < ${order} OR ${startedId} = ${id})) OR ${running} = ${id}`,
      ExpressionAttributeNames: e.names,
      ExpressionAttributeValues: e.values,
    });
    return result !== false;
  }

  /** Puts `d` in the queue slot if a older deployment runs and nothing newer waits; returns the item as it was. */
  private async enqueue(d: StoredDeployment): Promise<EnvironmentItem | false> {
    const e = new Expression();
    const running = e.name('running');
    const queued = e.name('queued');
    const queuedOrder = e.name('queuedOrder');
    const id = e.value(d.id);
    const order = e.value(d.orderKey);
    const result = await this.update({
      TableName: this.tableName,
      Key: environmentKey(d.environment),
      UpdateExpression: updateExpression([`${queued} = ${id}`, `${queuedOrder} = ${order}`, ...e.sets({ queuedInfo: summaryOf(d, this.now()) })]),
      ConditionExpression:
        `attribute_exists(${running}) AND ${running} <> ${id} AND ${e.name('runningOrder')} < ${order}` +
        ` AND (attribute_not_exists(${queued}) OR ${queued} = ${id} OR ${queuedOrder} < ${order})`,
      ExpressionAttributeNames: e.names,
      ExpressionAttributeValues: e.values,
      ReturnValues: 'ALL_OLD',
    });
    return result === false ? false : toEnvironmentItem(result);
  }

  /** Takes a deployment that is leaving (rejected) out of the queue slot. */
  private async dequeue(environment: string, id: string): Promise<void> {
    const e = new Expression();
    await this.update({
      TableName: this.tableName,
      Key: environmentKey(environment),
      UpdateExpression: updateExpression([], [e.name('queued'), e.name('queuedOrder'), e.name('queuedInfo')]),
      ConditionExpression: `${e.name('queued')} = ${e.value(id)}`,
      ExpressionAttributeNames: e.names,
      ExpressionAttributeValues: e.values,
    });
  }

  /**
   * Frees the environment held by `finishedId` (a finished deployment), handing it to the queued deployment if any,
   * and records the last success. Safe to repeat: a second call finishes what a crashed first call left.
   */
  private async release(environment: string, finishedId: string, finished?: StoredDeployment): Promise<ReleaseResult> {
    const succeeded = finished?.status === 'SUCCEEDED' ? summaryOf(finished, finished.finishedAt ?? this.now()) : undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const env = await this.readEnvironment(environment);
      if (env === undefined) return { released: false };
      const decision = decideRelease(leaseOf(env), finishedId);
      if (decision.kind === 'not-holder') {
        if (succeeded !== undefined && (env.lastSucceeded === undefined || env.lastSucceeded.orderKey < succeeded.orderKey)) {
          await this.recordLastSucceeded(environment, succeeded);
        }
        // The promotion of the queued deployment was written but it was not marked STARTING yet: finish it.
        const next = env.promotedFrom === finishedId && env.runningInfo !== undefined ? await this.markPromoted(environment, env.runningInfo, true) : undefined;
        return compact({ released: false, next });
      }
      const e = new Expression();
      const running = e.name('running');
      const queued = e.name('queued');
      const lastSucceeded = succeeded === undefined ? [] : e.sets({ lastSucceeded: succeeded });
      let input: UpdateCommandInput;
      if (decision.kind === 'free') {
        input = {
          TableName: this.tableName,
          Key: environmentKey(environment),
          UpdateExpression: updateExpression(lastSucceeded, [running, e.name('runningOrder'), e.name('runningInfo'), e.name('promotedFrom')]),
          ConditionExpression: `${running} = ${e.value(finishedId)} AND attribute_not_exists(${queued})`,
          ExpressionAttributeNames: e.names,
          ExpressionAttributeValues: e.values,
        };
      } else {
        const info = env.queuedInfo;
        if (info === undefined || info.id !== decision.next.id) throw new CorruptRecordError(`environment item of ${environment} queues ${decision.next.id} without its summary`);
        const nextInfo = { ...info, since: this.now() };
        input = {
          TableName: this.tableName,
          Key: environmentKey(environment),
          UpdateExpression: updateExpression(
            [
              ...lastSucceeded,
              ...e.sets({
                running: info.id,
                runningOrder: info.orderKey,
                runningInfo: nextInfo,
                startedId: info.id,
                startedOrder: info.orderKey,
                promotedFrom: finishedId,
              }),
            ],
            [queued, e.name('queuedOrder'), e.name('queuedInfo')],
          ),
          ConditionExpression: `${running} = ${e.value(finishedId)} AND ${queued} = ${e.value(info.id)}`,
          ExpressionAttributeNames: e.names,
          ExpressionAttributeValues: e.values,
        };
      }
      if ((await this.update(input)) === false) continue;
      if (decision.kind === 'free') return { released: true };
      const next = env.queuedInfo === undefined ? undefined : await this.markPromoted(environment, env.queuedInfo);
      return compact({ released: true, next });
    }
    throw new StoreContentionError(`environment ${environment}: gave up releasing ${finishedId} after ${MAX_ATTEMPTS} concurrent changes; retry`);
  }

  /** Marks the deployment that took the environment by promotion STARTING; the caller that wins starts its build. */
  private async markPromoted(environment: string, info: DeploymentSummary, readFirst = false): Promise<Deployment | undefined> {
    if (readFirst) {
      // A repeated release: usually the promotion was completed; a read is cheaper than a refused write.
      const current = await this.get(info.id);
      if (current !== undefined && current.status !== 'QUEUED' && !isTerminal(current.status)) return undefined;
    }
    const moved = await this.transition({ id: info.id, environment, spaVersion: info.spaVersion }, 'STARTING', { claimedAt: this.now() });
    if (moved.changed) return moved.deployment;
    // It cannot run (rejected meanwhile, or gone): pass the environment on.
    if (moved.deployment === undefined || isTerminal(moved.deployment.status)) return (await this.release(environment, info.id, moved.deployment)).next;
    return undefined;
  }

  private async recordLastSucceeded(environment: string, succeeded: DeploymentSummary): Promise<void> {
    const e = new Expression();
    const last = e.name('lastSucceeded');
    await this.update({
      TableName: this.tableName,
      Key: environmentKey(environment),
      UpdateExpression: updateExpression(e.sets({ lastSucceeded: succeeded })),
      ConditionExpression: `attribute_exists(${e.name('pk')}) AND (attribute_not_exists(${last}) OR ${last}.${e.name('orderKey')} < ${e.value(succeeded.orderKey)})`,
      ExpressionAttributeNames: e.names,
      ExpressionAttributeValues: e.values,
    });
  }

  // ---- internals: deployment items -------------------------------------------------------------------------------

  private newItem(input: NewDeployment): Item {
    const problem = invalidDeployment(input);
    if (problem !== undefined) throw new InvalidDeploymentError(`deployment ${JSON.stringify(input.id)}: ${problem}`);
    let orderKey: string;
    try {
      orderKey = orderKeyOf(input.order ?? { time: input.createdAt }, input.id);
    } catch (error) {
      if (error instanceof InvalidOrderError) throw new InvalidDeploymentError(`deployment ${input.id}: ${error.message}`);
      throw error;
    }
    const { order: _order, diagnostics, reason, ...fields } = input;
    return compact({
      ...deploymentKey(input.id),
      kind: 'deployment',
      ...fields,
      reason: truncate(reason, MAX_REASON),
      ...(input.status === 'REJECTED' ? capDiagnostics(diagnostics) : {}),
      finishedAt: input.status === 'REJECTED' ? input.createdAt : undefined,
      orderKey,
      environmentStatus: environmentStatusKey(input.environment, input.status),
      timeline: TIMELINE,
    });
  }

  /** Moves a deployment to `to` if the state machine allows it from its current status (re-checked by the write). */
  private async transition(
    ref: DeploymentRef,
    to: DeploymentStatus,
    set: Record<string, unknown>,
    options: { ifNotExists?: Record<string, unknown>; condition?: (e: Expression) => string } = {},
  ): Promise<Transition> {
    const predecessors = allowedPredecessors(to);
    if (predecessors.length === 0) throw new Error(`no status leads to ${to}`);
    const e = new Expression();
    const status = e.name('status');
    const sets = [
      `${e.name('previousStatus')} = ${status}`,
      `${status} = ${e.value(to)}`,
      ...e.sets({
        environmentStatus: environmentStatusKey(ref.environment, to),
        versionReached: to === 'SUCCEEDED' ? versionReachedKey(ref.environment, ref.spaVersion) : undefined,
        ...set,
      }),
      ...e.setsIfNotExists(options.ifNotExists ?? {}),
    ];
    const extra = options.condition === undefined ? '' : ` AND (${options.condition(e)})`;
    const updated = await this.update({
      TableName: this.tableName,
      Key: deploymentKey(ref.id),
      UpdateExpression: updateExpression(sets),
      ConditionExpression: `attribute_exists(${e.name('pk')}) AND ${status} IN (${e.list(predecessors)})${extra}`,
      ExpressionAttributeNames: e.names,
      ExpressionAttributeValues: e.values,
      ReturnValues: 'ALL_NEW',
    });
    if (updated === false) return { changed: false, deployment: await this.get(ref.id) };
    const previous = deploymentItemSchema.shape.previousStatus.safeParse(updated.previousStatus);
    const deployment = toDeployment(updated);
    return { changed: true, deployment, previousStatus: previous.success && previous.data !== undefined ? previous.data : deployment.status };
  }

  private async mustGet(id: string): Promise<StoredDeployment> {
    const deployment = ID_PATTERN.test(id) ? await this.get(id) : undefined;
    if (deployment === undefined) throw new DeploymentNotFoundError(id);
    return deployment;
  }

  private async queryPage(plan: QueryPlan, limit: number, startKey: Item | undefined): Promise<{ items: StoredDeployment[]; lastKey?: Item }> {
    const e = new Expression();
    const filters: string[] = [];
    if (plan.filter?.environment !== undefined) filters.push(`${e.name('environment')} = ${e.value(plan.filter.environment)}`);
    if (plan.filter?.status !== undefined) filters.push(`${e.name('status')} = ${e.value(plan.filter.status)}`);
    const page = await this.query({
      TableName: this.tableName,
      IndexName: plan.index.indexName,
      KeyConditionExpression: `${e.name(plan.index.partitionKey)} = ${e.value(plan.partitionValue)}`,
      FilterExpression: filters.length > 0 ? filters.join(' AND ') : undefined,
      ExpressionAttributeNames: e.names,
      ExpressionAttributeValues: e.values,
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: startKey,
    });
    return { items: page.items.map(toDeployment), lastKey: page.lastKey };
  }

  private async queryAll(index: HistoryIndex, partitionValue: string): Promise<StoredDeployment[]> {
    const items: StoredDeployment[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.queryPage({ index, partitionValue }, MAX_LIMIT, startKey);
      items.push(...page.items);
      startKey = page.lastKey;
    } while (startKey !== undefined);
    return items;
  }

  private async queryKeys(index: HistoryIndex, partitionValue: string, limit: number, oldestFirst: boolean): Promise<Item[]> {
    const e = new Expression();
    const page = await this.query({
      TableName: this.tableName,
      IndexName: index.indexName,
      KeyConditionExpression: `${e.name(index.partitionKey)} = ${e.value(partitionValue)}`,
      ExpressionAttributeNames: e.names,
      ExpressionAttributeValues: e.values,
      ScanIndexForward: oldestFirst,
      Limit: limit,
    });
    return page.items;
  }

  // ---- internals: counted DynamoDB calls -------------------------------------------------------------------------

  private now(): string {
    return this.clock().toISOString();
  }

  private countCapacity(consumed: { CapacityUnits?: number } | undefined): void {
    if (consumed?.CapacityUnits !== undefined) this.metrics.capacityUnits += consumed.CapacityUnits;
  }

  private async getItem(key: Key): Promise<Item | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }));
    this.metrics.readRequests += 1;
    if (out.Item !== undefined) this.metrics.readItems += 1;
    this.countCapacity(out.ConsumedCapacity);
    return out.Item;
  }

  private async query(input: QueryCommandInput): Promise<{ items: Item[]; lastKey?: Item }> {
    const out = await this.client.send(new QueryCommand({ ...compact(input), ReturnConsumedCapacity: 'TOTAL' }));
    const items: Item[] = out.Items ?? [];
    this.metrics.readRequests += 1;
    this.metrics.readItems += out.ScannedCount ?? items.length;
    this.countCapacity(out.ConsumedCapacity);
    return out.LastEvaluatedKey === undefined ? { items } : { items, lastKey: out.LastEvaluatedKey };
  }

  private async put(input: { TableName: string; Item: Item; ConditionExpression: string; ExpressionAttributeNames: Record<string, string> }): Promise<boolean> {
    this.metrics.writeRequests += 1;
    try {
      const out = await this.client.send(new PutCommand({ ...input, ReturnConsumedCapacity: 'TOTAL' }));
      this.countCapacity(out.ConsumedCapacity);
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      this.metrics.conditionFailures += 1;
      return false;
    }
  }

  /** The attributes asked for by ReturnValues (empty when none), or false when the condition refused the write. */
  private async update(input: UpdateCommandInput): Promise<Item | false> {
    this.metrics.writeRequests += 1;
    try {
      const out = await this.client.send(new UpdateCommand({ ...compact(input), ReturnConsumedCapacity: 'TOTAL' }));
      this.countCapacity(out.ConsumedCapacity);
      return out.Attributes ?? {};
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      this.metrics.conditionFailures += 1;
      return false;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------

function isText(value: unknown, max = MAX_TEXT): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max && ![...value].some((c) => c < ' ' || c === '\u007f');
}

function planFor(query: HistoryQuery): QueryPlan {
  const { environment, status, commit } = query;
  if (commit !== undefined) return compact({ index: HISTORY_INDEXES.byCommit, partitionValue: commit, filter: compact({ environment, status }) });
  if (environment !== undefined && status !== undefined) return { index: HISTORY_INDEXES.byEnvironmentStatus, partitionValue: environmentStatusKey(environment, status) };
  if (environment !== undefined) return { index: HISTORY_INDEXES.byEnvironment, partitionValue: environment };
  if (status !== undefined) return { index: HISTORY_INDEXES.byStatus, partitionValue: status };
  return { index: HISTORY_INDEXES.byTime, partitionValue: TIMELINE };
}

function invalidDeployment(d: NewDeployment): string | undefined {
  if (typeof d.id !== 'string' || !ID_PATTERN.test(d.id)) return 'id must be 1-128 characters of letters, digits, and . _ : - (use deploymentIdFor)';
  if (!isText(d.environment, 128)) return 'environment must be a name of 1-128 printable characters';
  if (!isInitialStatus(d.status)) return `a deployment is created PENDING, QUEUED or REJECTED, not ${String(d.status)}`;
  if (!(DEPLOYMENT_TRIGGERS as readonly string[]).includes(d.trigger)) return `unknown trigger ${String(d.trigger)}`;
  if (typeof d.settingsCommit !== 'string' || !COMMIT_PATTERN.test(d.settingsCommit)) return 'settingsCommit must be a full lowercase commit id (40 or 64 hex digits)';
  if (isAutomaticTrigger(d.trigger) && d.id !== automaticDeploymentId(d.environment, d.settingsCommit)) {
    return `a ${d.trigger} deployment must have the id automaticDeploymentId(environment, settingsCommit) = ${automaticDeploymentId(d.environment, d.settingsCommit)}, so a commit is attempted at most once automatically`;
  }
  if (normaliseTime(d.createdAt) === undefined) return `createdAt '${String(d.createdAt)}' is not an ISO-8601 time`;
  for (const field of ['environmentPath', 'spaVersion', 'codeGitUrl', 'causedBy'] as const) {
    // A REJECTED deployment may have been rejected precisely for having no valid SPA version: it is still recorded.
    if (field === 'spaVersion' && d.status === 'REJECTED' && d.spaVersion === '') continue;
    if (!isText(d[field])) return `${field} must be 1-${MAX_TEXT} printable characters`;
  }
  for (const field of ['spaCommit', 'pullRequestId'] as const) {
    const value = d[field];
    if (value !== undefined && !isText(value)) return `${field} must be 1-${MAX_TEXT} printable characters when present`;
  }
  return undefined;
}
