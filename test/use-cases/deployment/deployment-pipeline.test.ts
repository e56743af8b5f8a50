import { BatchGetBuildsCommand, ListBuildsForProjectCommand, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { onBuildEvent, onRepositoryEvent } from '../../../shared/use-cases/deployment/controller-events';
import { reconcileDeployments } from '../../../shared/use-cases/deployment/reconcile-deployments';
import { startDynalite, type LocalDynamo } from '../../support/dynalite';
import { DeploymentHarness, INVALID_SETTINGS, SPA_COMMIT, VALID_SETTINGS } from '../../support/deployment-harness';

describe('Use case: deployment pipeline (trunk push → build → history)', () => {
  let local: LocalDynamo;
  let h: DeploymentHarness;

  beforeAll(async () => {
    local = await startDynalite();
  });
  afterAll(async () => local.close());
  beforeEach(async () => {
    h = await DeploymentHarness.create(local);
  });
  afterEach(() => h.cleanup());

  it('starts the build of a valid change with the exact overrides and records it', async () => {
    const [before, after] = h.change('prod', VALID_SETTINGS.replace('500', '600'));

    const result = await onRepositoryEvent(h.deps, h.origin, h.pushEvent(before, after));

    expect(result.status).toBe('processed');
    const [deployment] = await h.all();
    expect(h.codebuild).toHaveReceivedCommandTimes(StartBuildCommand, 1);
    expect(h.codebuild).toHaveReceivedCommandWith(StartBuildCommand, {
      projectName: 'spa-prod',
      idempotencyToken: deployment?.id,
      environmentVariablesOverride: [
        { name: 'SPA_CD_DEPLOYMENT_ID', value: deployment?.id, type: 'PLAINTEXT' },
        { name: 'SPA_CD_ENVIRONMENT', value: 'prod', type: 'PLAINTEXT' },
        { name: 'SPA_CD_ENVIRONMENT_PATH', value: 'environments/prod', type: 'PLAINTEXT' },
        { name: 'SPA_CD_SETTINGS_COMMIT', value: after, type: 'PLAINTEXT' },
        { name: 'SPA_CD_SPA_VERSION', value: SPA_COMMIT, type: 'PLAINTEXT' },
        { name: 'SPA_CD_SPA_COMMIT', value: SPA_COMMIT, type: 'PLAINTEXT' },
        { name: 'SPA_CD_CODE_GIT_URL', value: 'https://github.com/reply-fr/sustainable-personal-accounts.git', type: 'PLAINTEXT' },
      ],
    });
    expect(deployment).toMatchObject({ environment: 'prod', status: 'STARTING', settingsCommit: after, trigger: 'merge', spaVersion: SPA_COMMIT });
    expect(deployment?.buildId).toMatch(/^spa-prod:/);
  });

  it('records an invalid change REJECTED with its diagnostics and starts no build', async () => {
    const [before, after] = h.change('prod', INVALID_SETTINGS);

    await onRepositoryEvent(h.deps, h.origin, h.pushEvent(before, after));

    const [deployment] = await h.all();
    expect(h.codebuild).toHaveReceivedCommandTimes(StartBuildCommand, 0);
    expect(deployment?.status).toBe('REJECTED');
    expect(deployment?.reason).toMatch(/invalid settings: 1 error/);
    expect(deployment?.diagnostics?.[0]).toMatchObject({ file: 'environments/prod/settings.yaml', severity: 'error' });
  });

  it.each([
    [2, 'sequentially'],
    [10, 'sequentially'],
    [100, 'sequentially'],
    [2, 'concurrently'],
    [10, 'concurrently'],
    [100, 'concurrently'],
  ])('starts exactly one build when the same push event is delivered %i times %s', async (times, mode) => {
    const [before, after] = h.change('prod', VALID_SETTINGS.replace('500', '700'));
    const event = h.pushEvent(before, after);

    if (mode === 'sequentially') for (let i = 0; i < times; i += 1) await onRepositoryEvent(h.deps, h.origin, event);
    else await Promise.all(Array.from({ length: times }, () => onRepositoryEvent(h.deps, h.origin, event)));

    expect(h.startBuildCalls()).toBe(1);
    expect(await h.all()).toHaveLength(1);
  });

  it('ends 20 merges made while a build runs with the trunk head deployed and the others SUPERSEDED', async () => {
    const [b0, first] = h.change('prod', VALID_SETTINGS.replace('500', '501'));
    await onRepositoryEvent(h.deps, h.origin, h.pushEvent(b0, first, '2026-01-01T00:00:00Z'));
    const pushes: Array<Record<string, unknown>> = [];
    let previous = first;
    for (let i = 0; i < 20; i += 1) {
      const [, next] = h.change('prod', VALID_SETTINGS.replace('500', String(510 + i)), `merge ${i}`);
      pushes.push(h.pushEvent(previous, next, `2026-01-01T00:01:${String(i).padStart(2, '0')}Z`));
      previous = next;
    }
    const head = previous;

    await Promise.all([...pushes].reverse().map((p) => onRepositoryEvent(h.deps, h.origin, p)));
    const running = (await h.all()).find((d) => d.settingsCommit === first);
    await onBuildEvent(h.deps, h.origin, h.buildEvent(running!, 'SUCCEEDED'));

    const all = await h.all();
    expect(h.buildsStarted()).toBe(2);
    const started = all.filter((d) => d.buildId !== undefined);
    expect(started.map((d) => d.settingsCommit).sort()).toEqual([first, head].sort());
    expect(all.find((d) => d.settingsCommit === head)?.status).toBe('STARTING');
    expect(all.filter((d) => d.status === 'SUPERSEDED')).toHaveLength(19);
    expect(all.filter((d) => d.status === 'STARTING' || d.status === 'IN_PROGRESS')).toHaveLength(1);
  });

  it.each([
    [['IN_PROGRESS', 'SUCCEEDED'], 'SUCCEEDED'],
    [['SUCCEEDED', 'IN_PROGRESS'], 'SUCCEEDED'],
    [['IN_PROGRESS', 'FAILED'], 'FAILED'],
    [['FAILED', 'IN_PROGRESS'], 'FAILED'],
    [['IN_PROGRESS', 'SUCCEEDED', 'FAILED'], 'SUCCEEDED'],
    [['IN_PROGRESS', 'FAILED', 'SUCCEEDED'], 'FAILED'],
    [['SUCCEEDED', 'IN_PROGRESS', 'FAILED'], 'SUCCEEDED'],
    [['SUCCEEDED', 'FAILED', 'IN_PROGRESS'], 'SUCCEEDED'],
    [['FAILED', 'IN_PROGRESS', 'SUCCEEDED'], 'FAILED'],
    [['FAILED', 'SUCCEEDED', 'IN_PROGRESS'], 'FAILED'],
    [['IN_PROGRESS', 'IN_PROGRESS', 'STOPPED', 'STOPPED'], 'STOPPED'],
  ] as const)('applies build events in the order %j and ends %s', async (order, final) => {
    const [before, after] = h.change('prod', VALID_SETTINGS.replace('500', '800'));
    await onRepositoryEvent(h.deps, h.origin, h.pushEvent(before, after));
    const [deployment] = await h.all();

    for (const status of order) await onBuildEvent(h.deps, h.origin, h.buildEvent(deployment!, status));

    const [after2] = await h.all();
    expect(after2?.status).toBe(final);
    expect(after2?.finishedAt).toBeDefined();
  });

  it('starts one build when StartBuild is busy once then accepts', async () => {
    const [before, after] = h.change('prod', VALID_SETTINGS.replace('500', '900'));
    const busy = Object.assign(new Error('Cannot have more than 1 builds in queue for the project'), { name: 'AccountLimitExceededException', $metadata: { httpStatusCode: 400 } });
    h.codebuild.on(StartBuildCommand).rejectsOnce(busy).resolves({ build: { id: 'spa-prod:00000000-0000-4000-8000-00000000abcd' } });

    await onRepositoryEvent(h.deps, h.origin, h.pushEvent(before, after));

    const [deployment] = await h.all();
    expect(h.startBuildCalls()).toBe(2);
    expect(deployment?.buildId).toBe('spa-prod:00000000-0000-4000-8000-00000000abcd');
  });

  it('repairs, without a second build, a failure to record the build after StartBuild when the event is delivered again', async () => {
    const [before, after] = h.change('prod', VALID_SETTINGS.replace('500', '901'));
    const original = h.store.recordBuildStarted.bind(h.store);
    let failures = 1;
    h.store.recordBuildStarted = async (...args) => {
      if (failures-- > 0) throw new Error('DynamoDB unavailable');
      return original(...args);
    };
    const event = h.pushEvent(before, after);

    await expect(onRepositoryEvent(h.deps, h.origin, event)).rejects.toThrow('DynamoDB unavailable');
    h.clock = new Date(h.clock.getTime() + 2 * 60_000);
    await onRepositoryEvent(h.deps, h.origin, event);

    const [deployment] = await h.all();
    expect(h.buildsStarted()).toBe(1);
    expect(deployment?.status).toBe('STARTING');
    expect(deployment?.buildId).toMatch(/^spa-prod:/);
  });

  it('lets the reconciler deploy a merge whose event was lost, and apply a build end whose event was lost', async () => {
    const [, after] = h.change('prod', VALID_SETTINGS.replace('500', '902'));

    const first = await reconcileDeployments(h.deps, { trunk: 'main' });
    const [deployment] = await h.all();
    h.codebuild.on(BatchGetBuildsCommand).resolves({
      builds: [{ id: deployment!.buildId!, projectName: 'spa-prod', buildStatus: 'SUCCEEDED', startTime: new Date('2026-01-01T00:00:05Z'), endTime: new Date('2026-01-01T00:20:05Z') }],
    });
    const second = await reconcileDeployments(h.deps, { trunk: 'main' });

    expect(first.missedMerges.map((o) => o.outcome)).toEqual(['started']);
    expect(deployment).toMatchObject({ settingsCommit: after, trigger: 'reconcile' });
    expect(second.buildStatesApplied).toBe(1);
    const [done] = await h.all();
    expect(done).toMatchObject({ status: 'SUCCEEDED', durationSeconds: 1200 });
    expect(h.buildsStarted()).toBe(1);
  });

  it('lets the reconciler end FAULT a running deployment whose build CodeBuild no longer knows, past the build timeout', async () => {
    const [before, after] = h.change('prod', VALID_SETTINGS.replace('500', '906'));
    await onRepositoryEvent(h.deps, h.origin, h.pushEvent(before, after));
    h.codebuild.on(BatchGetBuildsCommand).resolves({ builds: [], buildsNotFound: ['spa-prod:gone'] });

    const early = await reconcileDeployments(h.deps, { trunk: 'main', buildTimeoutMinutes: 60 });
    h.clock = new Date(h.clock.getTime() + 61 * 60_000);
    const late = await reconcileDeployments(h.deps, { trunk: 'main', buildTimeoutMinutes: 60 });

    expect(early.buildStatesApplied).toBe(0);
    expect(late.buildStatesApplied).toBe(1);
    const [deployment] = await h.all();
    expect(deployment).toMatchObject({ settingsCommit: after, status: 'FAULT' });
    expect(deployment?.reason).toMatch(/CodeBuild does not know build/);
  });

  it('lets the reconciler find the build of an interrupted start instead of starting another', async () => {
    const [before, after] = h.change('prod', VALID_SETTINGS.replace('500', '903'));
    h.store.recordBuildStarted = async () => {
      throw new Error('crash after StartBuild');
    };
    await expect(onRepositoryEvent(h.deps, h.origin, h.pushEvent(before, after))).rejects.toThrow('crash');
    const store = h.store;
    delete (store as Partial<typeof store>).recordBuildStarted;
    const [starting] = await h.all();
    const buildId = 'spa-prod:00000000-0000-4000-8000-000000000001';
    h.codebuild.on(ListBuildsForProjectCommand).resolves({ ids: [buildId] });
    h.codebuild.on(BatchGetBuildsCommand).resolves({
      builds: [{ id: buildId, projectName: 'spa-prod', buildStatus: 'IN_PROGRESS', environment: { type: 'LINUX_CONTAINER', image: 'i', computeType: 'BUILD_GENERAL1_SMALL', environmentVariables: [{ name: 'SPA_CD_DEPLOYMENT_ID', value: starting!.id }] } }],
    });
    h.clock = new Date(h.clock.getTime() + 5 * 60_000);

    const report = await reconcileDeployments(h.deps, { trunk: 'main' });

    const [repaired] = await h.all();
    expect(report.startsRepaired).toBe(1);
    expect(h.buildsStarted()).toBe(1);
    expect(repaired).toMatchObject({ settingsCommit: after, buildId, status: 'IN_PROGRESS' });
  });

  it('links a CodeCommit merge commit to the source commit of its pull request before deploying it', async () => {
    const [before, after] = h.change('prod', VALID_SETTINGS.replace('500', '904'));
    const links: Array<{ commitId: string; sourceCommitId: string }> = [];
    const deps = { ...h.deps, mergeLinks: { link: async (merge: { commitId: string; sourceCommitId: string }) => void links.push(merge) } };
    const event = h.pushEvent(before, after) as { detail: Record<string, unknown> };
    Object.assign(event.detail, { sourceCommitId: 'b'.repeat(40), destinationCommitId: before, baseCommitId: before, mergeOption: 'THREE_WAY_MERGE' });

    await onRepositoryEvent(deps, h.origin, event);

    expect(links).toEqual([{ commitId: after, sourceCommitId: 'b'.repeat(40) }]);
    expect(h.startBuildCalls()).toBe(1);
  });

  it('records nothing and fails (so the event is retried) when a settings file cannot be read, then deploys on the retry', async () => {
    const [before, after] = h.change('prod', VALID_SETTINGS.replace('500', '907'));
    const repository = h.deps.repository;
    let failures = 1;
    const flaky = {
      resolve: (ref: string) => repository.resolve(ref),
      changedPaths: (a: string, b: string) => repository.changedPaths(a, b),
      at: (commit: string) => {
        const source = repository.at(commit);
        return {
          description: source.description,
          list: (folder: string) => source.list(folder),
          read: async (path: string, max: number) => {
            if (path.endsWith('settings.yaml') && failures-- > 0) throw new Error('ThrottlingException: Rate exceeded');
            return source.read(path, max);
          },
        };
      },
    };
    const deps = { ...h.deps, repository: flaky };

    await expect(onRepositoryEvent(deps, h.origin, h.pushEvent(before, after))).rejects.toThrow(/Rate exceeded/);
    expect(await h.all()).toHaveLength(0);
    await onRepositoryEvent(deps, h.origin, h.pushEvent(before, after));

    const [deployment] = await h.all();
    expect(deployment).toMatchObject({ settingsCommit: after, status: 'STARTING' });
  });

  it('records REJECTED an environment whose deployment.yaml pins no SPA version at all', async () => {
    const before = h.head();
    h.tree.write('environments/prod/deployment.yaml', 'auto_deploy: true\n');
    const after = h.tree.commit('drop the pin');

    await onRepositoryEvent(h.deps, h.origin, h.pushEvent(before, after));

    const [deployment] = await h.all();
    expect(deployment).toMatchObject({ settingsCommit: after, status: 'REJECTED', spaVersion: '' });
    expect(deployment?.diagnostics?.map((d) => d.code)).toContain('pin-missing');
    expect(h.startBuildCalls()).toBe(0);
  });

  it('keeps reconciling the other repairs when CodeBuild cannot be asked about running builds', async () => {
    const [before, after] = h.change('prod', VALID_SETTINGS.replace('500', '908'));
    await onRepositoryEvent(h.deps, h.origin, h.pushEvent(before, after));
    h.codebuild.on(BatchGetBuildsCommand).rejects(Object.assign(new Error('boom'), { name: 'InternalFailure' }));
    const [, missed] = [after, h.change('prod', VALID_SETTINGS.replace('500', '909'))[1]];
    h.clock = new Date(h.clock.getTime() + 5 * 60_000); // the next pass, five minutes later

    const report = await reconcileDeployments(h.deps, { trunk: 'main', buildTimeoutMinutes: 0 });

    expect(report.buildStatesApplied).toBe(0);
    expect(report.missedMerges.map((o) => o.outcome)).toEqual(['queued']);
    expect((await h.all()).find((d) => d.settingsCommit === missed)?.status).toBe('QUEUED');
  });

  it('never redeploys automatically a commit already attempted, whatever came of it', async () => {
    const [before, after] = h.change('prod', INVALID_SETTINGS);
    await onRepositoryEvent(h.deps, h.origin, h.pushEvent(before, after));

    await reconcileDeployments(h.deps, { trunk: 'main' });
    await onRepositoryEvent(h.deps, h.origin, h.pushEvent(before, after));

    expect(await h.all()).toHaveLength(1);
    expect(h.startBuildCalls()).toBe(0);
  });
});

describe('Use case: deployment metrics', () => {
  let local: LocalDynamo;
  let h: DeploymentHarness;
  beforeAll(async () => {
    local = await startDynalite();
    h = await DeploymentHarness.create(local);
  });
  afterAll(async () => {
    h.cleanup();
    await local.close();
  });

  it('counts started, succeeded and rejected deployments per environment and measures lead time from the merge event', async () => {
    const [before, after] = h.change('prod', VALID_SETTINGS.replace('500', '905'));
    h.clock = new Date('2026-01-01T00:00:30Z');
    await onRepositoryEvent(h.deps, h.origin, h.pushEvent(before, after, '2026-01-01T00:00:00Z'));
    const [deployment] = await h.all();
    await onBuildEvent(h.deps, h.origin, h.buildEvent(deployment!, 'SUCCEEDED'));
    const [, broken] = h.change('prod', INVALID_SETTINGS);
    await onRepositoryEvent(h.deps, h.origin, h.pushEvent(after, broken, '2026-01-01T00:20:00Z'));

    expect(h.metrics.total('DeploymentsStarted', 'prod')).toBe(1);
    expect(h.metrics.total('DeploymentsSucceeded', 'prod')).toBe(1);
    expect(h.metrics.total('DeploymentsRejected', 'prod')).toBe(1);
    expect(h.metrics.records.find((r) => r.name === 'LeadTimeSeconds')).toMatchObject({ value: 30, environment: 'prod', unit: 'seconds' });
  });
});
