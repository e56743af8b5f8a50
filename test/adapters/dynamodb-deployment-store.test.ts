import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbDeploymentStore, historyTableDefinition, HISTORY_INDEXES } from '../../shared/adapters/dynamodb-deployment-store';
import type { Deployment, DeploymentStatus } from '../../shared/domain/deployment/deployment';
import { automaticDeploymentId, requestedDeploymentId } from '../../shared/domain/deployment/deployment-id';
import type { BuildStatusName } from '../../shared/domain/deployment/deployment-state';
import type { BuildInfo } from '../../shared/ports/build-service';
import {
  DeploymentNotFoundError,
  InvalidCursorError,
  InvalidDeploymentError,
  InvalidHistoryQueryError,
  type NewDeployment,
} from '../../shared/ports/deployment-store';
import { freshHistoryTable, startDynalite, type LocalDynamo } from '../support/dynalite';

let local: LocalDynamo;
let store: DynamoDbDeploymentStore;
let tableName: string;

beforeAll(async () => {
  local = await startDynalite();
});
afterAll(async () => {
  await local.close();
});
beforeEach(async () => {
  tableName = await freshHistoryTable(local);
  store = new DynamoDbDeploymentStore(local.client, tableName);
});

const BASE = Date.parse('2024-05-01T10:00:00Z');
const commitOf = (n: number): string => n.toString(16).padStart(40, '0');
const timeOf = (n: number): string => new Date(BASE + n * 1000).toISOString();

/** The automatic deployment of commit number `n` of `environment`, merged at second `n`. */
function merge(environment: string, n: number, overrides: Partial<NewDeployment> = {}): NewDeployment {
  const settingsCommit = commitOf(n);
  return {
    id: automaticDeploymentId(environment, settingsCommit),
    environment,
    status: 'QUEUED',
    settingsCommit,
    environmentPath: `environments/${environment}`,
    spaVersion: 'v1.2.3',
    codeGitUrl: 'https://github.com/reply-fr/sustainable-personal-accounts.git',
    trigger: 'merge',
    causedBy: 'arn:aws:sts::123456789012:assumed-role/dev/alice',
    createdAt: timeOf(n),
    order: { time: timeOf(n) },
    ...overrides,
  };
}

async function created(d: NewDeployment): Promise<Deployment> {
  return (await store.createDeployment(d)).deployment;
}

/** Creates, starts and records the build of a deployment; returns its build id. */
async function running(d: NewDeployment): Promise<string> {
  await created(d);
  const started = await store.startOrQueue(d.id);
  expect(started.action).toBe('start');
  const buildId = `spa-${d.environment}:${d.id}`;
  await store.recordBuildStarted(d.id, { buildId, logsUrl: 'https://console.aws.amazon.com/logs', startedAt: timeOf(1000) });
  return buildId;
}

async function statusOf(id: string): Promise<DeploymentStatus | undefined> {
  return (await store.get(id))?.status;
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('Function: historyTableDefinition', () => {
  it('declares on-demand billing, string keys and the seven indexes the access patterns need', () => {
    // Act
    const definition = historyTableDefinition('history');

    // Assess
    expect(definition.BillingMode).toBe('PAY_PER_REQUEST');
    expect(definition.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(Object.values(HISTORY_INDEXES).map((i) => i.indexName).sort());
    expect(definition.AttributeDefinitions?.every((a) => a.AttributeType === 'S')).toBe(true);
  });
});

describe('Class: DynamoDbDeploymentStore', () => {
  describe('Method: createDeployment', () => {
    it.each([2, 10, 100])('stores exactly one item when %i duplicate creates race', async (copies) => {
      // Prepare
      const d = merge('prod', copies);

      // Act
      const results = await Promise.all(Array.from({ length: copies }, () => store.createDeployment(d)));

      // Assess
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.deployment.id))).toEqual(new Set([d.id]));
      const page = await store.history({ environment: 'prod', limit: 1000 });
      expect(page.items.map((x) => x.id)).toEqual([d.id]);
    });

    it('returns the stored deployment unchanged on a duplicate create', async () => {
      // Prepare
      await store.createDeployment(merge('prod', 1));
      await store.startOrQueue(merge('prod', 1).id);

      // Act
      const again = await store.createDeployment(merge('prod', 1));

      // Assess
      expect(again.created).toBe(false);
      expect(again.deployment.status).toBe('STARTING');
    });

    it('treats a reconcile of a commit a merge already attempted as the same deployment', async () => {
      // Prepare
      await store.createDeployment(merge('prod', 1, { status: 'REJECTED', reason: 'invalid settings' }));

      // Act
      const reconcile = await store.createDeployment(merge('prod', 1, { trigger: 'reconcile' }));
      const attempt = await store.findAutomaticAttempt('prod', commitOf(1));

      // Assess
      expect(reconcile.created).toBe(false);
      expect(reconcile.deployment.status).toBe('REJECTED');
      expect(attempt?.trigger).toBe('merge');
    });

    it('does not count a manual deployment as an automatic attempt', async () => {
      // Prepare
      const manual = merge('prod', 1, { trigger: 'manual', id: requestedDeploymentId('prod', commitOf(1), 'manual', 'req-1') });

      // Act
      await store.createDeployment(manual);

      // Assess
      await expect(store.findAutomaticAttempt('prod', commitOf(1))).resolves.toBeUndefined();
      await expect(store.get(manual.id)).resolves.toMatchObject({ trigger: 'manual', status: 'QUEUED' });
    });

    it('refuses a merge deployment whose id is not the automatic id, naming the id to use', async () => {
      await expect(store.createDeployment(merge('prod', 1, { id: 'my-own-id' }))).rejects.toThrow(InvalidDeploymentError);
      await expect(store.createDeployment(merge('prod', 1, { id: 'my-own-id' }))).rejects.toThrow(automaticDeploymentId('prod', commitOf(1)));
    });

    it('refuses a bad commit, a bad time and a status a deployment is not created with', async () => {
      await expect(store.createDeployment({ ...merge('prod', 1), settingsCommit: 'main' })).rejects.toThrow('settingsCommit');
      await expect(store.createDeployment(merge('prod', 1, { createdAt: 'now' }))).rejects.toThrow('createdAt');
      await expect(store.createDeployment(merge('prod', 1, { order: { time: 'later' } }))).rejects.toThrow(InvalidDeploymentError);
      await expect(store.createDeployment({ ...merge('prod', 1), status: 'SUCCEEDED' as 'QUEUED' })).rejects.toThrow('created PENDING, QUEUED or REJECTED');
    });

    it('records a REJECTED deployment with its diagnostics, keeping the first 100', async () => {
      // Prepare
      const diagnostics = Array.from({ length: 120 }, (_, i) => ({
        file: 'environments/prod/settings.yaml', line: i + 1, column: 1, severity: 'error' as const, code: 'unknown-attribute', message: `bad key ${i}`,
      }));

      // Act
      const { deployment } = await store.createDeployment(merge('prod', 1, { status: 'REJECTED', reason: '120 errors', diagnostics }));

      // Assess
      expect(deployment).toMatchObject({ status: 'REJECTED', reason: '120 errors', diagnosticsOmitted: 20, finishedAt: timeOf(1) });
      expect(deployment.diagnostics).toHaveLength(100);
      expect((await store.get(deployment.id))?.diagnostics?.[0]).toEqual(diagnostics[0]);
    });

    it('lists the environment even when its only deployment was rejected', async () => {
      // Act
      await store.createDeployment(merge('sandbox', 1, { status: 'REJECTED', reason: 'x' }));

      // Assess
      expect((await store.listEnvironments()).map((e) => e.name)).toEqual(['sandbox']);
    });
  });

  describe('Method: startOrQueue', () => {
    it('tells exactly one of 20 duplicate calls to start the build', async () => {
      // Prepare
      const d = merge('prod', 1);
      await created(d);

      // Act
      const results = await Promise.all(Array.from({ length: 20 }, () => store.startOrQueue(d.id)));

      // Assess
      expect(results.filter((r) => r.action === 'start')).toHaveLength(1);
      expect(results.filter((r) => r.action === 'in-flight')).toHaveLength(19);
      await expect(statusOf(d.id)).resolves.toBe('STARTING');
      expect((await store.environmentState('prod'))?.running?.id).toBe(d.id);
    });

    it('lets at most one deployment of an environment run when many start at once, and keeps the newest waiting', async () => {
      // Prepare
      const all = Array.from({ length: 12 }, (_, i) => merge('prod', i + 1));
      await Promise.all(all.map((d) => store.createDeployment(d)));

      // Act
      const results = await Promise.all(all.map((d) => store.startOrQueue(d.id)));

      // Assess
      const starts = results.filter((r) => r.action === 'start');
      expect(starts).toHaveLength(1);
      const statuses = await Promise.all(all.map((d) => statusOf(d.id)));
      expect(statuses.filter((s) => s === 'STARTING')).toHaveLength(1);
      expect(statuses.filter((s) => s === 'QUEUED').length).toBeLessThanOrEqual(1);
      expect(statuses.filter((s) => s === 'SUPERSEDED').length + 1 + statuses.filter((s) => s === 'QUEUED').length).toBe(12);
      const newest = all[11];
      expect(['STARTING', 'QUEUED']).toContain(await statusOf(newest?.id ?? ''));
      const state = await store.environmentState('prod');
      expect(state?.running?.id).toBe(starts[0]?.deployment.id);
    });

    it('keeps only the newest of 20 deployments queued concurrently behind a running one, superseding the 19 others', async () => {
      // Prepare
      const first = merge('prod', 1);
      await running(first);
      const queued = Array.from({ length: 20 }, (_, i) => merge('prod', 100 + i));
      await Promise.all(queued.map((d) => store.createDeployment(d)));

      // Act
      const results = await Promise.all([...queued].reverse().map((d) => store.startOrQueue(d.id)));

      // Assess
      const newest = queued[19]?.id ?? '';
      const deployments = await Promise.all(queued.map((d) => store.get(d.id)));
      expect(deployments.filter((d) => d?.status === 'QUEUED').map((d) => d?.id)).toEqual([newest]);
      const superseded = deployments.filter((d) => d?.status === 'SUPERSEDED');
      expect(superseded).toHaveLength(19);
      for (const d of superseded) {
        const by = /^superseded by (.+)$/.exec(d?.reason ?? '')?.[1] ?? '';
        expect(queued.findIndex((q) => q.id === by)).toBeGreaterThan(queued.findIndex((q) => q.id === d?.id));
      }
      expect(results.every((r) => r.action === 'queued' || r.action === 'superseded')).toBe(true);
      expect((await store.environmentState('prod'))?.queued?.id).toBe(newest);
    });

    it('supersedes the queued deployment by a newer one, and a late older one by the queued one', async () => {
      // Prepare
      await running(merge('prod', 1));
      await created(merge('prod', 3));
      await created(merge('prod', 5));
      await created(merge('prod', 4));

      // Act
      const third = await store.startOrQueue(merge('prod', 3).id);
      const fifth = await store.startOrQueue(merge('prod', 5).id);
      const fourth = await store.startOrQueue(merge('prod', 4).id);

      // Assess
      expect(third).toMatchObject({ action: 'queued', runningId: merge('prod', 1).id, superseded: [] });
      expect(fifth.action).toBe('queued');
      expect(fifth.action === 'queued' && fifth.superseded.map((d) => [d.id, d.status, d.reason])).toEqual([
        [merge('prod', 3).id, 'SUPERSEDED', `superseded by ${merge('prod', 5).id}`],
      ]);
      expect(fourth).toMatchObject({ action: 'superseded', by: merge('prod', 5).id, deployment: { status: 'SUPERSEDED' } });
    });

    it('never runs an older merge that arrives after a newer one started, even when the environment is free', async () => {
      // Prepare
      const buildId = await running(merge('prod', 5));
      await store.applyBuildState({ buildId, status: 'SUCCEEDED', deploymentId: merge('prod', 5).id });
      await created(merge('prod', 4));

      // Act
      const late = await store.startOrQueue(merge('prod', 4).id);

      // Assess
      expect(late).toMatchObject({ action: 'superseded', by: merge('prod', 5).id });
    });

    it('keeps environments independent', async () => {
      // Prepare
      await Promise.all([created(merge('prod', 1)), created(merge('dev', 1))]);

      // Act
      const results = await Promise.all([store.startOrQueue(merge('prod', 1).id), store.startOrQueue(merge('dev', 1).id)]);

      // Assess
      expect(results.map((r) => r.action)).toEqual(['start', 'start']);
    });

    it('does nothing for a PENDING deployment and throws for an unknown id', async () => {
      // Prepare
      await created(merge('prod', 1, { status: 'PENDING' }));

      // Act
      const pending = await store.startOrQueue(merge('prod', 1).id);

      // Assess
      expect(pending).toMatchObject({ action: 'none', deployment: { status: 'PENDING' } });
      await expect(store.startOrQueue('nope')).rejects.toThrow(DeploymentNotFoundError);
    });
  });

  describe('Method: recordBuildStarted', () => {
    it('records the build once and reports a second, different build as a stray', async () => {
      // Prepare
      const d = merge('prod', 1);
      await created(d);
      await store.startOrQueue(d.id);

      // Act
      const first = await store.recordBuildStarted(d.id, { buildId: 'p:1', logsUrl: 'https://logs/1', startedAt: timeOf(2) });
      const again = await store.recordBuildStarted(d.id, { buildId: 'p:1' });
      const stray = await store.recordBuildStarted(d.id, { buildId: 'p:2' });

      // Assess
      expect(first).toMatchObject({ outcome: 'recorded', deployment: { status: 'STARTING', buildId: 'p:1', logsUrl: 'https://logs/1', startedAt: timeOf(2) } });
      expect(again.outcome).toBe('recorded');
      expect(stray).toMatchObject({ outcome: 'other-build', deployment: { buildId: 'p:1' } });
      await expect(store.byBuildId('p:1')).resolves.toMatchObject({ id: d.id });
    });

    it('leaves a deployment that crashed before recording its build findable as STARTING without build id', async () => {
      // Prepare
      const d = merge('prod', 1);
      await created(d);
      await store.startOrQueue(d.id);

      // Act
      const starting = await store.findStarting('prod');
      const retry = await store.startOrQueue(d.id);

      // Assess
      expect(starting.map((x) => [x.id, x.buildId, typeof x.claimedAt])).toEqual([[d.id, undefined, 'string']]);
      expect(retry.action).toBe('in-flight');
    });
  });

  describe('Method: applyBuildState', () => {
    const sequences = [
      ...permutations<BuildStatusName>(['IN_PROGRESS', 'SUCCEEDED', 'FAILED']),
      ...(['SUCCEEDED', 'FAILED', 'FAULT', 'TIMED_OUT', 'STOPPED'] as const).flatMap((t) => permutations<BuildStatusName>(['IN_PROGRESS', t])),
    ];

    it.each(sequences.map((s) => [s.join(' then '), s] as const))('ends in the first terminal result when events arrive as %s', async (_name, sequence) => {
      // Prepare
      const d = merge('prod', 1);
      const buildId = await running(d);

      // Act
      for (const status of sequence) await store.applyBuildState({ buildId, status, deploymentId: d.id, endedAt: timeOf(50) });

      // Assess
      const firstTerminal = sequence.find((s) => s !== 'IN_PROGRESS');
      await expect(statusOf(d.id)).resolves.toBe(firstTerminal);
      expect((await store.environmentState('prod'))?.running).toBeUndefined();
    });

    it('reaches one terminal status and releases once when the events of a build race', async () => {
      // Prepare
      const d = merge('prod', 1);
      const buildId = await running(d);
      await created(merge('prod', 2));
      await store.startOrQueue(merge('prod', 2).id);
      const events: BuildStatusName[] = ['IN_PROGRESS', 'SUCCEEDED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'SUCCEEDED'];

      // Act
      const results = await Promise.all(events.map((status) => store.applyBuildState({ buildId, status, deploymentId: d.id })));

      // Assess
      expect(['SUCCEEDED', 'FAILED']).toContain(await statusOf(d.id));
      const nexts = results.flatMap((r) => ('next' in r && r.next ? [r.next.id] : []));
      expect(nexts).toEqual([merge('prod', 2).id]);
      await expect(statusOf(merge('prod', 2).id)).resolves.toBe('STARTING');
    });

    it('records times, phase, reason and log link of a failed build', async () => {
      // Prepare
      const d = merge('prod', 1);
      const buildId = await running(d);

      // Act
      const result = await store.applyBuildState({
        buildId, status: 'FAILED', deploymentId: d.id, endedAt: timeOf(90), durationSeconds: 88, failedPhase: 'BUILD', failureMessage: 'make deploy exited 2', logsUrl: 'https://logs/x',
      });

      // Assess
      expect(result).toMatchObject({
        outcome: 'applied',
        previousStatus: 'STARTING',
        deployment: { status: 'FAILED', finishedAt: timeOf(90), durationSeconds: 88, failedPhase: 'BUILD', reason: 'make deploy exited 2', logsUrl: 'https://logs/x', startedAt: timeOf(1000) },
      });
    });

    it('finds the deployment by build id when the event carries no deployment id', async () => {
      // Prepare
      const d = merge('prod', 1);
      const buildId = await running(d);

      const info: BuildInfo = { buildId, projectName: 'spa-prod', status: 'IN_PROGRESS', currentPhase: 'INSTALL' };

      // Act (a BuildInfo of the build-service port is accepted as it is)
      const result = await store.applyBuildState(info);

      // Assess
      expect(result).toMatchObject({ outcome: 'applied', previousStatus: 'STARTING', deployment: { id: d.id, status: 'IN_PROGRESS' } });
    });

    it('ignores unknown builds and stray builds of a deployment', async () => {
      // Prepare
      const d = merge('prod', 1);
      await running(d);

      // Act
      const unknown = await store.applyBuildState({ buildId: 'p:nope', status: 'SUCCEEDED' });
      const stray = await store.applyBuildState({ buildId: 'p:stray', status: 'SUCCEEDED', deploymentId: d.id });

      // Assess
      expect(unknown).toEqual({ outcome: 'unknown-build' });
      expect(stray.outcome).toBe('other-build');
      await expect(statusOf(d.id)).resolves.toBe('STARTING');
    });

    it('releases the environment, starts the newest queued deployment and records what runs now', async () => {
      // Prepare
      const first = merge('prod', 1, { spaVersion: 'v1.0.0' });
      const buildId = await running(first);
      await created(merge('prod', 2));
      await store.startOrQueue(merge('prod', 2).id);

      // Act
      const result = await store.applyBuildState({ buildId, status: 'SUCCEEDED', deploymentId: first.id, endedAt: timeOf(60) });
      const duplicate = await store.applyBuildState({ buildId, status: 'SUCCEEDED', deploymentId: first.id, endedAt: timeOf(60) });

      // Assess
      expect(result).toMatchObject({ outcome: 'applied', next: { id: merge('prod', 2).id, status: 'STARTING' } });
      expect(duplicate.outcome).toBe('stale');
      expect('next' in duplicate ? duplicate.next : undefined).toBeUndefined();
      const state = await store.environmentState('prod');
      expect(state?.running?.id).toBe(merge('prod', 2).id);
      expect(state?.queued).toBeUndefined();
      expect(state?.lastSucceeded).toEqual({ id: first.id, settingsCommit: commitOf(1), spaVersion: 'v1.0.0', orderKey: expect.any(String), since: timeOf(60) });
    });

    it('leaves one running, the newest waiting and nothing stranded when a build ends while ten merges queue', async () => {
      // Prepare
      const first = merge('prod', 1);
      const buildId = await running(first);
      const newer = Array.from({ length: 10 }, (_, i) => merge('prod', 10 + i));
      await Promise.all(newer.map((d) => store.createDeployment(d)));

      // Act
      const results = await Promise.all([
        store.applyBuildState({ buildId, status: 'SUCCEEDED', deploymentId: first.id }),
        ...newer.map((d) => store.startOrQueue(d.id)),
      ]);

      // Assess
      const statuses = await Promise.all(newer.map((d) => statusOf(d.id)));
      const state = await store.environmentState('prod');
      const startingIds = newer.filter((_, i) => statuses[i] === 'STARTING').map((d) => d.id);
      expect(startingIds).toEqual([state?.running?.id]);
      expect(newer.filter((_, i) => statuses[i] === 'QUEUED').map((d) => d.id)).toEqual(state?.queued ? [state.queued.id] : []);
      expect(['STARTING', 'QUEUED']).toContain(statuses[9]);
      const toldToStart = results.flatMap((r) => ('action' in r && r.action === 'start' ? [r.deployment.id] : 'next' in r && r.next ? [r.next.id] : []));
      expect(toldToStart).toEqual(startingIds);
      const overview = await store.listRunning();
      expect([overview.toStart, overview.staleLeases]).toEqual([[], []]);
    });

    it('finishes a promotion that a crash interrupted when the terminal event comes again', async () => {
      // Prepare: the environment was handed to the queued deployment, then the process died before marking it STARTING
      const first = merge('prod', 1);
      const buildId = await running(first);
      await created(merge('prod', 2));
      await store.startOrQueue(merge('prod', 2).id);
      await store.applyBuildState({ buildId, status: 'SUCCEEDED', deploymentId: first.id });
      await local.client.send(new UpdateCommand({
        TableName: tableName, Key: { pk: `DEPLOYMENT#${merge('prod', 2).id}`, sk: 'DEPLOYMENT' },
        UpdateExpression: 'SET #s = :q', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':q': 'QUEUED' },
      }));

      // Act
      const redelivered = await store.applyBuildState({ buildId, status: 'SUCCEEDED', deploymentId: first.id });

      // Assess
      expect(redelivered).toMatchObject({ outcome: 'stale', next: { id: merge('prod', 2).id, status: 'STARTING' } });
    });
  });

  describe('Method: markFailedToStart', () => {
    it('records the refusal and hands the environment to the queued deployment', async () => {
      // Prepare
      await created(merge('prod', 1));
      await store.startOrQueue(merge('prod', 1).id);
      await created(merge('prod', 2));
      await store.startOrQueue(merge('prod', 2).id);

      // Act
      const result = await store.markFailedToStart(merge('prod', 1).id, 'AccessDenied: not authorized to start builds');

      // Assess
      expect(result).toMatchObject({ changed: true, deployment: { status: 'FAILED_TO_START', reason: 'AccessDenied: not authorized to start builds' }, next: { id: merge('prod', 2).id } });
    });
  });

  describe('Method: markRejected', () => {
    it('takes a queued deployment out of the queue', async () => {
      // Prepare
      await running(merge('prod', 1));
      await created(merge('prod', 2));
      await store.startOrQueue(merge('prod', 2).id);

      // Act
      const result = await store.markRejected(merge('prod', 2).id, 'environment frozen');

      // Assess
      expect(result).toMatchObject({ changed: true, deployment: { status: 'REJECTED', reason: 'environment frozen' } });
      expect((await store.environmentState('prod'))?.queued).toBeUndefined();
    });
  });

  describe('Method: listRunning', () => {
    it('lists running deployments, deployments a crash left to start and environments held by a finished deployment', async () => {
      // Prepare
      await running(merge('prod', 1));
      await created(merge('dev', 1)); // created, never passed to startOrQueue
      const staleBuild = await running(merge('test', 1));
      await local.client.send(new UpdateCommand({ // finished, but the release was lost
        TableName: tableName, Key: { pk: `DEPLOYMENT#${merge('test', 1).id}`, sk: 'DEPLOYMENT' },
        UpdateExpression: 'SET #s = :s, environmentStatus = :e', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': 'SUCCEEDED', ':e': 'test#SUCCEEDED' },
      }));

      // Act
      const overview = await store.listRunning();
      const release = await store.releaseEnvironment('test', merge('test', 1).id);
      const refused = await store.releaseEnvironment('prod', merge('prod', 1).id);

      // Assess
      expect(overview.active.map((d) => d.id)).toEqual([merge('prod', 1).id]);
      expect(overview.toStart.map((d) => d.id)).toEqual([merge('dev', 1).id]);
      expect(overview.staleLeases).toEqual([{ environment: 'test', deploymentId: merge('test', 1).id }]);
      expect(staleBuild).toContain('spa-test');
      expect(release).toEqual({ released: true });
      expect(refused).toEqual({ released: false });
    });
  });

  describe('Method: history and the other access patterns', () => {
    async function fill(): Promise<void> {
      // prod: 1 SUCCEEDED(v1) 2 FAILED 3 SUCCEEDED(v2) 4 SUCCEEDED(v2) 5 REJECTED ; dev: 1 SUCCEEDED(v1) 6 STARTING ; sandbox: 3 PENDING
      const life = async (d: NewDeployment, status: BuildStatusName): Promise<void> => {
        const buildId = await running(d);
        await store.applyBuildState({ buildId, status, deploymentId: d.id, endedAt: timeOf(d.settingsCommit === commitOf(1) ? 10 : Number.parseInt(d.settingsCommit, 16) * 10) });
      };
      await life(merge('prod', 1, { spaVersion: 'v1' }), 'SUCCEEDED');
      await life(merge('dev', 1, { spaVersion: 'v1' }), 'SUCCEEDED');
      await life(merge('prod', 2, { spaVersion: 'v2' }), 'FAILED');
      await life(merge('prod', 3, { spaVersion: 'v2' }), 'SUCCEEDED');
      await created(merge('sandbox', 3, { status: 'PENDING' }));
      await life(merge('prod', 4, { spaVersion: 'v2' }), 'SUCCEEDED');
      await created(merge('prod', 5, { status: 'REJECTED', reason: 'bad' }));
      await running(merge('dev', 6));
    }

    it('lists the deployments of an environment newest first, page by page with the cursor', async () => {
      // Prepare
      await fill();
      const ids: string[] = [];
      let cursor: string | undefined;

      // Act
      do {
        const page = await store.history({ environment: 'prod', limit: 2, cursor });
        expect(page.items.length).toBeLessThanOrEqual(2);
        ids.push(...page.items.map((d) => d.id));
        cursor = page.nextCursor;
      } while (cursor !== undefined);

      // Assess
      expect(ids).toEqual([5, 4, 3, 2, 1].map((n) => merge('prod', n).id));
    });

    it('filters by status with its own index, across one or all environments', async () => {
      // Prepare (prod@1 and dev@1 were merged in the same second: the id breaks the tie, the same way every time)
      await fill();

      // Act
      const prodSucceeded = await store.history({ environment: 'prod', status: 'SUCCEEDED', limit: 10 });
      const allSucceeded = await store.history({ status: 'SUCCEEDED', limit: 10 });

      // Assess
      expect(prodSucceeded.items.map((d) => d.settingsCommit)).toEqual([4, 3, 1].map(commitOf));
      expect(allSucceeded.items.map((d) => `${d.environment}@${Number.parseInt(d.settingsCommit, 16)}`)).toEqual(['prod@4', 'prod@3', 'prod@1', 'dev@1']);
    });

    it('lists every deployment newest first without --env, and the deployments of a commit', async () => {
      // Prepare
      await fill();

      // Act
      const everything = await store.history({ limit: 100 });
      const ofCommit = await store.byCommit(commitOf(3));
      const ofCommitInProd = await store.history({ commit: commitOf(3), environment: 'prod', limit: 10 });

      // Assess
      expect(everything.items.map((d) => `${d.environment}@${Number.parseInt(d.settingsCommit, 16)}`)).toEqual([
        'dev@6', 'prod@5', 'prod@4', 'sandbox@3', 'prod@3', 'prod@2', 'prod@1', 'dev@1',
      ]);
      expect(everything.nextCursor).toBeUndefined();
      expect(ofCommit.map((d) => d.environment).sort()).toEqual(['prod', 'sandbox']);
      expect(ofCommitInProd.items.map((d) => d.id)).toEqual([merge('prod', 3).id]);
    });

    it('tells what runs now in each environment and when a SPA version reached it', async () => {
      // Prepare
      await fill();

      // Act
      const environments = await store.listEnvironments();
      const firstV2 = await store.firstSuccessWithVersion('prod', 'v2');
      const neverV2 = await store.firstSuccessWithVersion('dev', 'v2');

      // Assess
      const summary = Object.fromEntries(environments.map((e) => [e.name, [e.lastSucceeded?.settingsCommit, e.lastSucceeded?.spaVersion, e.running?.id]]));
      expect(summary).toEqual({
        prod: [commitOf(4), 'v2', undefined],
        dev: [commitOf(1), 'v1', merge('dev', 6).id],
        sandbox: [undefined, undefined, undefined],
      });
      expect(environments.find((e) => e.name === 'prod')?.lastSucceeded?.since).toBe(timeOf(40));
      expect(firstV2?.id).toBe(merge('prod', 3).id);
      expect(neverV2).toBeUndefined();
    });

    it('rejects a malformed cursor, a cursor of another query and a bad limit with clear errors', async () => {
      // Prepare
      await fill();
      const page = await store.history({ environment: 'prod', limit: 1 });
      const cursor = page.nextCursor ?? '';
      const tampered = Buffer.from(JSON.stringify({ v: 1, i: 'byEnvironment', p: 'prod', o: 'x', d: 'y' })).toString('base64url');

      // Act and assess
      await expect(store.history({ environment: 'prod', limit: 1, cursor: 'not a cursor!' })).rejects.toThrow(InvalidCursorError);
      await expect(store.history({ environment: 'prod', limit: 1, cursor: 'e30' })).rejects.toThrow('does not decode to a cursor');
      await expect(store.history({ environment: 'dev', limit: 1, cursor })).rejects.toThrow('belongs to another query');
      await expect(store.history({ limit: 1, cursor })).rejects.toThrow(InvalidCursorError);
      await expect(store.history({ environment: 'prod', limit: 1, cursor: tampered })).rejects.toThrow('damaged');
      await expect(store.history({ limit: 0 })).rejects.toThrow(InvalidHistoryQueryError);
      await expect(store.history({ limit: 1001 })).rejects.toThrow('limit must be an integer from 1 to 1000');
      await expect(store.history({ limit: 5, status: 'DONE' as DeploymentStatus })).rejects.toThrow("unknown status 'DONE'");
      await expect(store.history({ environment: 'prod', limit: 1, cursor })).resolves.toMatchObject({ items: [{ id: merge('prod', 4).id }] });
    });
  });

  describe('Property: bounded reads', () => {
    it('reads at most 21 items for `history --limit 20` over 500 deployments, with or without --env and --status', async () => {
      // Prepare
      const all = Array.from({ length: 500 }, (_, i) => merge(i % 2 === 0 ? 'prod' : 'dev', i + 1, { status: i % 5 === 0 ? 'REJECTED' : 'PENDING' }));
      for (let i = 0; i < all.length; i += 50) await Promise.all(all.slice(i, i + 50).map((d) => store.createDeployment(d)));
      const reads: number[] = [];

      // Act
      for (const query of [{}, { environment: 'prod' }, { environment: 'prod', status: 'REJECTED' as const }, { status: 'PENDING' as const }]) {
        store.resetMetrics();
        const page = await store.history({ ...query, limit: 20 });
        expect(page.items).toHaveLength(20);
        expect(page.nextCursor).toBeDefined();
        reads.push(store.metrics.readItems);
      }

      // Assess
      for (const read of reads) expect(read).toBeLessThanOrEqual(21);
    });

    it('counts the requests of one deployment life (create, start, record build, IN_PROGRESS, SUCCEEDED)', async () => {
      // Prepare
      const d = merge('prod', 1);
      store.resetMetrics();

      // Act
      const buildId = await running(d);
      await store.applyBuildState({ buildId, status: 'IN_PROGRESS', deploymentId: d.id });
      await store.applyBuildState({ buildId, status: 'SUCCEEDED', deploymentId: d.id });

      // Assess
      expect(store.metrics.writeRequests).toBeLessThanOrEqual(8);
      expect(store.metrics.readRequests).toBeLessThanOrEqual(4);
      expect(store.metrics.conditionFailures).toBe(0);
    });
  });
});
