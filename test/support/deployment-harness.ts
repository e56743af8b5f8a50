/**
 * A deployment pipeline on real parts for tests: a real git repository of settings, a real dynalite store, the
 * real CodeBuild adapter over an aws-sdk-client-mock of CodeBuild (so tests assert the exact StartBuild calls).
 */
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { BatchGetBuildsCommand, CodeBuildClient, ListBuildsForProjectCommand, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { CodeBuildBuildService } from '../../shared/adapters/codebuild-build-service';
import { DynamoDbDeploymentStore } from '../../shared/adapters/dynamodb-deployment-store';
import { GitSettingsRepository } from '../../shared/adapters/git-settings-repository';
import type { Deployment } from '../../shared/domain/deployment/deployment';
import { RecordingMetrics, silentLog } from '../../shared/ports/telemetry';
import type { ControllerOrigin } from '../../shared/use-cases/deployment/controller-events';
import type { DeploymentDependencies } from '../../shared/use-cases/deployment/deployment-dependencies';
import { awsEvent, type JsonObject } from './aws-events';
import { freshHistoryTable, type LocalDynamo } from './dynalite';
import { GitWorkTree } from './git-work-tree';
import { MANIFEST, VALID_SETTINGS } from './settings-text';

export { MANIFEST, SPA_COMMIT, VALID_SETTINGS } from './settings-text';

export const ACCOUNT = '111111111111';
export const DEVOPS_ACCOUNT = '222222222222';
export const REGION = 'eu-west-1';
export const REPOSITORY = 'spa-settings';


export const INVALID_SETTINGS = `${VALID_SETTINGS}  - identifier: 123456789012\n`;


export class DeploymentHarness {
  readonly tree = new GitWorkTree('spa-cd-deploy-');
  readonly codebuild: AwsClientStub<CodeBuildClient> = mockClient(CodeBuildClient);
  readonly metrics = new RecordingMetrics();
  readonly origin: ControllerOrigin = { account: ACCOUNT, region: REGION, repository: REPOSITORY, trunk: 'main', buildAccount: DEVOPS_ACCOUNT, buildRegion: REGION };
  store!: DynamoDbDeploymentStore;
  deps!: DeploymentDependencies;
  private builds = 0;
  clock = new Date('2026-01-01T00:00:00Z');

  static async create(local: LocalDynamo, environments: readonly string[] = ['prod']): Promise<DeploymentHarness> {
    const harness = new DeploymentHarness();
    await harness.init(local, environments);
    return harness;
  }

  private async init(local: LocalDynamo, environments: readonly string[]): Promise<void> {
    const table = await freshHistoryTable(local);
    this.store = new DynamoDbDeploymentStore(local.client, table, { clock: () => this.clock });
    // Like CodeBuild: the same idempotency token answers with the same build.
    const byToken = new Map<string, string>();
    this.codebuild.on(StartBuildCommand).callsFake((input: { projectName: string; idempotencyToken?: string }) => {
      let id = input.idempotencyToken === undefined ? undefined : byToken.get(input.idempotencyToken);
      if (id === undefined) {
        this.builds += 1;
        id = `${input.projectName}:00000000-0000-4000-8000-${String(this.builds).padStart(12, '0')}`;
        if (input.idempotencyToken !== undefined) byToken.set(input.idempotencyToken, id);
      }
      return { build: { id, arn: `arn:aws:codebuild:${REGION}:${DEVOPS_ACCOUNT}:build/${id}`, logs: { deepLink: `https://console.aws.amazon.com/cloudwatch/home?region=${REGION}#logsV2:${id}` } } };
    });
    this.codebuild.on(ListBuildsForProjectCommand).resolves({ ids: [] });
    this.codebuild.on(BatchGetBuildsCommand).resolves({ builds: [] });
    for (const env of environments) {
      this.tree.write(`environments/${env}/settings.yaml`, VALID_SETTINGS).write(`environments/${env}/deployment.yaml`, MANIFEST);
    }
    this.tree.write('README.md', 'settings\n');
    this.tree.commit('initial settings');
    this.deps = {
      repository: new GitSettingsRepository(this.tree.dir),
      store: this.store,
      builds: new CodeBuildBuildService({ client: new CodeBuildClient({ region: REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }), sleep: async () => {}, maxAttempts: 3 }),
      notifier: { statusChanged: async () => {} },
      targets: environments.map((name) => ({ name, path: `environments/${name}`, project: `spa-${name}` })),
      defaultCodeGitUrl: 'https://github.com/reply-fr/sustainable-personal-accounts.git',
      log: silentLog,
      metrics: this.metrics,
      now: () => this.clock,
    };
  }

  head(): string {
    return this.tree.git('rev-parse', 'HEAD');
  }

  /** Commits a change to an environment's settings; returns [before, after]. */
  change(env: string, content: string, message = 'change'): [string, string] {
    const before = this.head();
    this.tree.write(`environments/${env}/settings.yaml`, content);
    return [before, this.tree.commit(message)];
  }

  pushEvent(before: string, after: string, time = '2026-01-01T00:00:00Z'): JsonObject {
    return awsEvent('codecommit-repository-state-change.referenceUpdated.branch-push.OBSERVED.json', (e) => {
      e.account = ACCOUNT;
      e.region = REGION;
      e.time = time;
      e.resources = [`arn:aws:codecommit:${REGION}:${ACCOUNT}:${REPOSITORY}`];
      e.detail.repositoryName = REPOSITORY;
      e.detail.oldCommitId = before;
      e.detail.commitId = after;
      e.detail.referenceFullName = 'refs/heads/main';
      e.detail.referenceName = 'main';
    });
  }

  buildEvent(deployment: Deployment, status: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'STOPPED', time = '2026-01-01T00:10:00Z'): JsonObject {
    const buildId = deployment.buildId ?? 'missing:missing';
    const project = buildId.slice(0, buildId.indexOf(':'));
    return awsEvent(status === 'IN_PROGRESS' ? 'codebuild-build-state-change.IN_PROGRESS.OBSERVED.json' : 'codebuild-build-state-change.SUCCEEDED.json', (e) => {
      e.account = DEVOPS_ACCOUNT;
      e.region = REGION;
      e.time = time;
      const arn = `arn:aws:codebuild:${REGION}:${DEVOPS_ACCOUNT}:build/${buildId}`;
      e.resources = [arn];
      e.detail['build-id'] = arn;
      e.detail['project-name'] = project;
      e.detail['build-status'] = status;
      const info = (e.detail['additional-information'] ?? {}) as JsonObject & { environment?: JsonObject };
      info.environment = { ...(info.environment ?? {}), 'environment-variables': [{ name: 'SPA_CD_DEPLOYMENT_ID', type: 'PLAINTEXT', value: deployment.id }] };
      e.detail['additional-information'] = info;
    });
  }

  startBuildCalls(): number {
    return this.codebuild.commandCalls(StartBuildCommand).length;
  }

  /** Distinct builds CodeBuild would have started. */
  buildsStarted(): number {
    return this.builds;
  }

  async all(environment = 'prod'): Promise<Deployment[]> {
    return [...(await this.store.history({ environment, limit: 1000 })).items];
  }

  cleanup(): void {
    this.codebuild.restore();
    this.tree.cleanup();
  }
}
