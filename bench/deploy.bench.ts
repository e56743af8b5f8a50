/**
 * `npm run bench:deploy` — the deployment pipeline with 50 ms of simulated latency on every AWS call:
 *   - lead time (trunk push event in → StartBuild sent), p50 and p95 over 200 merges (each build then ends);
 *   - DynamoDB reads and writes per deployment life (push, start, IN_PROGRESS, SUCCEEDED);
 *   - items read by `history --limit 20` on a table of 10,000 deployments.
 * CodeCommit is an in-memory fake behind aws-sdk-client-mock, CodeBuild a mock, DynamoDB a real dynalite server
 * behind a latency middleware. Targets: p95 < 400 ms; history --limit 20 reads at most 21 items.
 */
import { CodeBuildClient, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { mockClient } from 'aws-sdk-client-mock';
import { CodeBuildBuildService } from '../shared/adapters/codebuild-build-service';
import { CodeCommitSettingsRepository } from '../shared/adapters/codecommit-settings-repository';
import { createTable, DynamoDbDeploymentStore } from '../shared/adapters/dynamodb-deployment-store';
import { localDynamoClient, startLocalDynamo } from '../shared/adapters/local-dynamo';
import { automaticDeploymentId } from '../shared/domain/deployment/deployment-id';
import { silentLog, noMetrics } from '../shared/ports/telemetry';
import { onBuildEvent, onRepositoryEvent } from '../shared/use-cases/deployment/controller-events';
import type { DeploymentDependencies } from '../shared/use-cases/deployment/deployment-dependencies';
import { FakeCodeCommit } from '../test/support/fake-codecommit';
import { awsEvent } from '../test/support/aws-events';
import { MANIFEST, VALID_SETTINGS } from '../test/support/deployment-harness';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const LATENCY_MS = 50;
const MERGES = Number(process.env.BENCH_MERGES ?? 200);
const HISTORY_SIZE = Number(process.env.BENCH_HISTORY ?? 10_000);
const ACCOUNT = '111111111111';
const DEVOPS = '222222222222';
const REGION = 'us-east-2';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function main(): Promise<void> {
  const dynamo = await startLocalDynamo();
  const { client: slowDynamo } = localDynamoClient(dynamo.endpoint);
  slowDynamo.middlewareStack.add((next) => async (args) => {
    await sleep(LATENCY_MS);
    return next(args);
  }, { step: 'initialize', name: 'simulatedLatency' });
  await createTable(dynamo.client, 'history');
  const store = new DynamoDbDeploymentStore(slowDynamo, 'history');

  const codecommit = new FakeCodeCommit({ latencyMs: LATENCY_MS, repositoryName: 'spa-settings' });
  const codebuild = mockClient(CodeBuildClient);
  const startedAt = new Map<string, number>();
  let builds = 0;
  codebuild.on(StartBuildCommand).callsFake(async (input: { idempotencyToken: string }) => {
    startedAt.set(input.idempotencyToken, performance.now());
    await sleep(LATENCY_MS);
    builds += 1;
    return { build: { id: `spa-prod:00000000-0000-4000-8000-${String(builds).padStart(12, '0')}` } };
  });

  const deps: DeploymentDependencies = {
    repository: new CodeCommitSettingsRepository({ client: codecommit.client, repositoryName: 'spa-settings' }),
    store,
    builds: new CodeBuildBuildService({ client: new CodeBuildClient({ region: REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }) }),
    notifier: { statusChanged: async () => {} },
    targets: [{ name: 'prod', path: 'environments/prod', project: 'spa-prod' }],
    defaultCodeGitUrl: 'https://github.com/reply-fr/sustainable-personal-accounts.git',
    log: silentLog,
    metrics: noMetrics,
    now: () => new Date(),
  };
  const origin = { account: ACCOUNT, region: REGION, repository: 'spa-settings', trunk: 'main', buildAccount: DEVOPS, buildRegion: REGION };
  const files = (i: number): Record<string, string> => ({
    'README.md': 'settings\n',
    'environments/prod/settings.yaml': VALID_SETTINGS.replace('500', String(1000 + i)),
    'environments/prod/deployment.yaml': MANIFEST,
  });

  const leadTimes: number[] = [];
  let lifeReads = 0;
  let lifeWrites = 0;
  let previous = codecommit.addCommit(files(0));
  for (let i = 1; i <= MERGES; i += 1) {
    const commit = codecommit.addCommit(files(i));
    const push = awsEvent('codecommit-repository-state-change.referenceUpdated.branch-push.OBSERVED.json', (e) => {
      Object.assign(e, { account: ACCOUNT, region: REGION, time: new Date().toISOString(), resources: [`arn:aws:codecommit:${REGION}:${ACCOUNT}:spa-settings`] });
      Object.assign(e.detail, { repositoryName: 'spa-settings', oldCommitId: previous, commitId: commit });
    });
    store.resetMetrics();
    const t0 = performance.now();
    await onRepositoryEvent(deps, origin, push);
    const id = automaticDeploymentId('prod', commit);
    const sent = startedAt.get(id);
    if (sent === undefined) throw new Error(`merge ${i}: no StartBuild`);
    leadTimes.push(sent - t0);
    const deployment = await store.get(id);
    for (const status of ['IN_PROGRESS', 'SUCCEEDED'] as const) {
      const event = awsEvent('codebuild-build-state-change.SUCCEEDED.json', (e) => {
        const arn = `arn:aws:codebuild:${REGION}:${DEVOPS}:build/${deployment?.buildId ?? ''}`;
        Object.assign(e, { account: DEVOPS, region: REGION, resources: [arn] });
        Object.assign(e.detail, { 'build-id': arn, 'project-name': 'spa-prod', 'build-status': status });
      });
      await onBuildEvent(deps, origin, event);
    }
    lifeReads += store.metrics.readRequests - 1; // minus the benchmark's own get()
    lifeWrites += store.metrics.writeRequests;
    previous = commit;
  }

  // history --limit 20 on a large table (filled without latency).
  const fast = new DynamoDbDeploymentStore(dynamo.client, 'history');
  const existing = (await fast.history({ environment: 'prod', limit: 1000 })).items.length;
  const toAdd = Math.max(0, HISTORY_SIZE - existing);
  for (let i = 0; i < toAdd; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, toAdd - i) }, (_, k) => {
        const commit = (i + k).toString(16).padStart(40, '0');
        return fast.createDeployment({
          id: automaticDeploymentId('prod', commit), environment: 'prod', status: 'REJECTED', settingsCommit: commit,
          environmentPath: 'environments/prod', spaVersion: 'v1', codeGitUrl: deps.defaultCodeGitUrl, trigger: 'merge',
          causedBy: 'bench', createdAt: new Date(Date.UTC(2025, 0, 1) + (i + k) * 1000).toISOString(), reason: 'bench',
        });
      }),
    );
  }
  const counting = new DynamoDbDeploymentStore(dynamo.client, 'history');
  counting.resetMetrics();
  await counting.history({ limit: 20 });
  const allEnvironmentsItems = counting.metrics.readItems;
  counting.resetMetrics();
  await counting.history({ environment: 'prod', limit: 20 });
  const oneEnvironmentItems = counting.metrics.readItems;

  const p50 = percentile(leadTimes, 50);
  const p95 = percentile(leadTimes, 95);
  console.log(`bench:deploy — ${LATENCY_MS} ms simulated latency on every AWS call (CodeCommit, CodeBuild, DynamoDB)`);
  console.log(`lead time, push event in → StartBuild sent, over ${MERGES} merges: p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, max ${Math.max(...leadTimes).toFixed(0)} ms (target p95 < 400 ms: ${p95 < 400 ? 'met' : 'NOT met'})`);
  console.log(`DynamoDB per deployment life (push, start, IN_PROGRESS, SUCCEEDED): ${(lifeReads / MERGES).toFixed(1)} reads, ${(lifeWrites / MERGES).toFixed(1)} writes`);
  console.log(`CodeCommit calls: ${(codecommit.mock.calls().length / MERGES).toFixed(1)} per merge`);
  console.log(`history --limit 20 on ${existing + toAdd} deployments: ${allEnvironmentsItems} items read (all environments), ${oneEnvironmentItems} items read (--env prod) (target ≤ 21: ${Math.max(allEnvironmentsItems, oneEnvironmentItems) <= 21 ? 'met' : 'NOT met'})`);
  codecommit.restore();
  codebuild.restore();
  await dynamo.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
