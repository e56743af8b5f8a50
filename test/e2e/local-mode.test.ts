/**
 * End-to-end: `spa-cd local` with real git, a real dynalite store and real bash builds, in temporary folders.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LOCAL_BUILDSPEC, EXAMPLE_FEATURE_BRANCH } from '../../cli/local/example-repository';
import type { Deployment } from '../../shared/domain/deployment/deployment';
import { INVALID_SETTINGS, LocalModeHarness, SETTINGS, SPA_VERSION, waitFor, type Run } from './support/local-harness';

const statusOf = (deployments: readonly Deployment[], commit: string): string | undefined => deployments.find((d) => d.settingsCommit === commit)?.status;

describe('spa-cd local: the first run on the example repository', () => {
  let h: LocalModeHarness;
  let first: Run;

  beforeAll(async () => {
    h = new LocalModeHarness({ example: true });
    first = await h.once({ buildspec: DEFAULT_LOCAL_BUILDSPEC });
  });
  afterAll(async () => h.cleanup());

  it('deploys the trunk head of each environment: SUCCEEDED with the exact commit and SPA version', async () => {
    const trunk = h.tree.git('rev-parse', 'main');

    const history = await h.history();

    expect(first.code).toBe(0);
    expect(history.map((d) => [d.environment, d.status, d.settingsCommit, d.spaVersion, d.trigger]).sort()).toEqual([
      ['production', 'SUCCEEDED', trunk, SPA_VERSION, 'merge'],
      ['sandbox', 'SUCCEEDED', trunk, SPA_VERSION, 'merge'],
    ]);
    expect(first.stdout).toMatch(/history .*newest first/);
  });

  it('runs the default local buildspec: exact settings commit checked out and validated with spa-cd validate', () => {
    const trunk = h.tree.git('rev-parse', 'main');
    const logs = readdirSync(join(h.data, 'builds')).filter((name) => name.endsWith('.log'));

    const texts = logs.map((name) => readFileSync(join(h.data, 'builds', name), 'utf8'));

    expect(texts).toHaveLength(2);
    for (const text of texts) {
      expect(text).toContain(`checking out settings commit ${trunk}`);
      expect(text).toContain('valid: 0 errors');
      expect(text).toContain('make deploy');
    }
  });

  it('reviews the feature branch: the markdown names the file and line of its error and the effective changes', () => {
    const review = readFileSync(join(h.reviews, `${EXAMPLE_FEATURE_BRANCH}.md`), 'utf8');

    expect(review).toContain('environments/production/settings.yaml:64');
    expect(review).toContain('identifier-not-a-string');
    expect(review).toMatch(/`defaults\.preparation\.variables\.BUDGET_AMOUNT` \| changed \| `500` \| `800`/);
    expect(review).toMatch(/`ou-5gtx-sandbox02` \| tag added \| `team`/);
    expect(review).toContain('### Inline comments (1)');
    expect(first.stdout).toContain(`review of ${EXAMPLE_FEATURE_BRANCH}: INVALID`);
  });

  it('continues where it stopped: a second start finds nothing pending and starts no build', async () => {
    const builds = h.builds();

    const second = await h.once({ buildspec: DEFAULT_LOCAL_BUILDSPEC });

    expect(second.code).toBe(0);
    expect(h.builds()).toBe(builds);
    expect(await h.history()).toHaveLength(2);
  });

  it('deploys a merge of the branch: valid environments deployed, the invalid one REJECTED, results posted on its review', async () => {
    h.tree.git('merge', '-q', '--no-ff', '-m', 'Merge the budget changes', EXAMPLE_FEATURE_BRANCH);
    const merge = h.tree.git('rev-parse', 'main');
    h.open();

    const run = await h.once();

    const history = await h.history();
    const review = readFileSync(join(h.reviews, `${EXAMPLE_FEATURE_BRANCH}.md`), 'utf8');
    expect(run.code).toBe(1);
    expect(history.filter((d) => d.settingsCommit === merge).map((d) => [d.environment, d.status]).sort()).toEqual([
      ['production', 'REJECTED'],
      ['sandbox', 'SUCCEEDED'],
    ]);
    expect(review).toContain('closed (merged into main)');
    expect(review).toMatch(/### Deployment results \(\d+\)[\s\S]*`sandbox`: deployed/);
    expect(review).toContain('`production`: not deployed');
  });
});

describe('spa-cd local: trunk changes', () => {
  let h: LocalModeHarness;

  beforeEach(() => {
    h = new LocalModeHarness();
  });
  afterEach(async () => h.cleanup());

  it('records a commit with invalid settings REJECTED, with its findings, and starts no build', async () => {
    h.open();
    await h.once();
    const invalid = h.tree.write('environments/app/settings.yaml', INVALID_SETTINGS).commit('add an account');

    const run = await h.once();

    const [latest] = await h.history('app');
    expect(run.code).toBe(1);
    expect(latest).toMatchObject({ settingsCommit: invalid, status: 'REJECTED', trigger: 'merge', reason: expect.stringContaining('invalid settings') });
    expect(latest?.diagnostics?.[0]).toMatchObject({ file: 'environments/app/settings.yaml', code: 'identifier-not-a-string' });
    expect(h.builds()).toBe(1);
    expect(run.stdout).toContain('environments/app/settings.yaml:18');
  });

  it('deploys the last of five quick commits made while a build runs, and records the other four SUPERSEDED', async () => {
    const watcher = await h.watch();
    const initial = h.head();
    await waitFor('the first build to run', async () => ((await h.history('app')).find((d) => d.status === 'IN_PROGRESS') ? true : undefined));

    const commits = [1, 2, 3, 4, 5].map((n) => h.tree.write('environments/app/settings.yaml', SETTINGS(500 + n * 100)).commit(`budget ${n}`));
    const last = commits[4] ?? '';
    await waitFor('the last commit queued and the others superseded', async () => {
      const history = await h.history('app');
      const superseded = commits.slice(0, 4).every((c) => statusOf(history, c) === 'SUPERSEDED');
      return superseded && statusOf(history, last) === 'QUEUED' ? true : undefined;
    });
    h.open();
    await waitFor('the last commit deployed', async () => (statusOf(await h.history('app'), last) === 'SUCCEEDED' ? true : undefined));
    const code = await watcher.stop();

    const history = await h.history('app');
    expect(code).toBe(0);
    expect(statusOf(history, initial)).toBe('SUCCEEDED');
    expect(commits.map((c) => statusOf(history, c))).toEqual(['SUPERSEDED', 'SUPERSEDED', 'SUPERSEDED', 'SUPERSEDED', 'SUCCEEDED']);
    expect(h.builds()).toBe(2);
    expect(watcher.io.stdout).toContain('QUEUED → SUPERSEDED');
  });
});

describe('spa-cd local: interruptions', () => {
  let h: LocalModeHarness;

  beforeEach(() => {
    h = new LocalModeHarness();
  });
  afterEach(async () => h.cleanup());

  it('on Ctrl-C stops the running build, records it STOPPED and exits 0; the next start continues from there', async () => {
    const local = h.spawnLocal();
    const initial = h.head();
    await waitFor('the build to run', async () => ((await h.liveHistory('app'))?.some((d) => d.status === 'IN_PROGRESS') ? true : undefined));

    local.child.kill('SIGINT');
    const code = await local.exited;

    expect(code).toBe(0);
    expect(local.output()).toContain('IN_PROGRESS → STOPPED');
    expect(statusOf(await h.history('app'), initial)).toBe('STOPPED');
    expect(h.buildProcesses()).toEqual([]);

    const next = h.tree.write('environments/app/settings.yaml', SETTINGS(900)).commit('after the stop');
    h.open();
    const run = await h.once();

    const history = await h.history('app');
    expect(run.code).toBe(0);
    expect(statusOf(history, next)).toBe('SUCCEEDED');
    expect(statusOf(history, initial)).toBe('STOPPED');
  });

  it('after spa-cd local is killed during a build, a restart ends that build FAULT and the history is consistent', async () => {
    const local = h.spawnLocal();
    const initial = h.head();
    const running = await waitFor('the build to run', async () => (await h.liveHistory('app'))?.find((d) => d.status === 'IN_PROGRESS'));

    local.child.kill('SIGKILL');
    await local.exited;
    expect(h.buildProcesses().length).toBeGreaterThan(0);
    const restart = await h.once();

    const history = await h.history('app');
    expect(restart.code).toBe(1);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ id: running.id, buildId: running.buildId, status: 'FAULT', failedPhase: 'BUILD', settingsCommit: initial });
    expect(history[0]?.finishedAt).toBeDefined();
    expect(h.buildProcesses()).toEqual([]);
    const status = JSON.parse((await h.cli(['status', '--data', h.data, '--json'])).stdout) as { name: string; running?: unknown }[];
    expect(status).toEqual([expect.objectContaining({ name: 'app' })]);
    expect(status[0]?.running).toBeUndefined();

    const next = h.tree.write('environments/app/settings.yaml', SETTINGS(700)).commit('after the crash');
    h.open();
    expect((await h.once()).code).toBe(0);
    expect(statusOf(await h.history('app'), next)).toBe('SUCCEEDED');
  });
});

describe('spa-cd deploy and history on the local store', () => {
  let h: LocalModeHarness;

  beforeEach(() => {
    h = new LocalModeHarness();
    h.open();
  });
  afterEach(async () => h.cleanup());

  it('hands a manual deployment to spa-cd local, which runs it; history reads the same store', async () => {
    await h.once();

    const deploy = await h.cli(['deploy', '--env', 'app', '--repo', h.repo, '--data', h.data]);
    const handed = (await h.history('app'))[0];
    const run = await h.once();
    const history = JSON.parse((await h.cli(['history', '--data', h.data, '--json'])).stdout) as Deployment[];

    expect(deploy.code).toBe(0);
    expect(deploy.stdout).toContain('handed to spa-cd local');
    expect(handed).toMatchObject({ trigger: 'manual', status: 'STARTING' });
    expect(run.code).toBe(0);
    expect(history.map((d) => [d.trigger, d.status])).toEqual([
      ['manual', 'SUCCEEDED'],
      ['merge', 'SUCCEEDED'],
    ]);
    expect(history[0]?.causedBy).toMatch(/^arn:aws:iam::000000000000:user\//);
  });
});
