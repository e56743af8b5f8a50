import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalBuildRunner, type LocalBuildRunnerOptions } from '../../cli/local/local-build-runner';
import type { BuildStateChange } from '../../cli/local/local-events';
import type { StartBuildRequest } from '../../shared/ports/build-service';

const COMMIT = 'c'.repeat(40);

function request(overrides: Partial<StartBuildRequest> = {}): StartBuildRequest {
  return {
    projectName: 'spa-cd-local-sandbox',
    deploymentId: 'sandbox-cccccccccccc-0123456789',
    environment: 'sandbox',
    environmentPath: 'environments/sandbox',
    settingsCommit: COMMIT,
    spaVersion: '22.12.17',
    codeGitUrl: 'https://github.com/reply-fr/sustainable-personal-accounts.git',
    idempotencyToken: 'sandbox-cccccccccccc-0123456789',
    ...overrides,
  };
}

/** Waits for a condition, polling (never a fixed sleep as synchronisation). */
async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('Class: LocalBuildRunner', () => {
  let root: string;
  let changes: BuildStateChange[];
  let lines: string[];
  let runners: LocalBuildRunner[];

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'spa-cd-runner-test-'));
    changes = [];
    lines = [];
    runners = [];
  });
  afterEach(async () => {
    await Promise.all(runners.map((r) => r.stopAll()));
    rmSync(root, { recursive: true, force: true });
  });

  function open(buildspec: string, options: Partial<LocalBuildRunnerOptions> = {}): LocalBuildRunner {
    const path = join(root, 'buildspec.yml');
    writeFileSync(path, buildspec);
    const runner = LocalBuildRunner.open({
      buildspecPath: path,
      stateDir: join(root, 'builds'),
      settingsRepo: join(root, 'repo'),
      cli: { node: process.execPath, loader: 'file:///nowhere/loader.mjs', main: '/nowhere/main.ts' },
      buildAccount: '000000000000',
      buildRegion: 'xx-local-1',
      onStateChange: (change) => changes.push(change),
      output: (line) => lines.push(line),
      workRoot: root,
      stopGraceMs: 500,
      ...options,
    });
    runners.push(runner);
    return runner;
  }

  it('runs the phases in order with the StartBuild variables, and reports IN_PROGRESS then SUCCEEDED', async () => {
    const runner = open(`version: 0.2
env:
  variables:
    GREETING: hello
phases:
  pre_build:
    commands:
      - cd "$CODEBUILD_SRC_DIR" && mkdir here && cd here
      - echo "pre $SPA_CD_ENVIRONMENT $SPA_CD_SETTINGS_COMMIT $GREETING in \${PWD##*/}"
  build:
    commands:
      - echo "build $SPA_CD_SPA_VERSION commit=[$SPA_CD_SPA_COMMIT] succeeding=$CODEBUILD_BUILD_SUCCEEDING"
`);

    const started = await runner.start(request());
    await runner.idle();

    expect(started.outcome).toBe('started');
    expect(changes.map((c) => c.status)).toEqual(['IN_PROGRESS', 'SUCCEEDED']);
    expect(lines).toContain(`[sandbox build#1] pre sandbox ${COMMIT} hello in here`);
    expect(lines).toContain('[sandbox build#1] build 22.12.17 commit=[] succeeding=1');
    expect(changes[1]?.phases.map((p) => `${p.type}:${p.status ?? '-'}`)).toEqual(['PRE_BUILD:SUCCEEDED', 'BUILD:SUCCEEDED', 'COMPLETED:-']);
    expect(changes[1]?.variables.SPA_CD_DEPLOYMENT_ID).toBe('sandbox-cccccccccccc-0123456789');
  });

  it('fails the build at the first failing command, names it, and still runs post_build after a failed build phase', async () => {
    const runner = open(`version: 0.2
phases:
  build:
    commands:
      - echo one
      - exit 3
      - echo never
  post_build:
    commands:
      - echo "post succeeding=$CODEBUILD_BUILD_SUCCEEDING"
`);

    const started = await runner.start(request());
    await runner.idle();
    const [info] = await runner.describe([started.outcome === 'started' ? started.buildId : '']);

    expect(changes.at(-1)?.status).toBe('FAILED');
    expect(lines).not.toContain('[sandbox build#1] never');
    expect(lines).toContain('[sandbox build#1] post succeeding=0');
    expect(info).toMatchObject({ status: 'FAILED', failedPhase: 'BUILD', failureMessage: expect.stringContaining('exit 3') });
  });

  it('does not run later phases after a failed pre_build', async () => {
    const runner = open(`version: 0.2
phases:
  pre_build:
    commands:
      - "false"
  build:
    commands:
      - echo build
  post_build:
    commands:
      - echo post
`);

    await runner.start(request());
    await runner.idle();

    expect(changes.at(-1)?.status).toBe('FAILED');
    expect(lines.some((l) => l.endsWith('] build') || l.endsWith('] post'))).toBe(false);
  });

  it('runs one build at a time per project, and answers the same build for the same idempotency token', async () => {
    const runner = open(`version: 0.2
phases:
  build:
    commands:
      - while [ ! -f "$CODEBUILD_SRC_DIR/../../release" ]; do sleep 0.02; done
`);

    const first = await runner.start(request());
    const same = await runner.start(request());
    const other = await runner.start(request({ deploymentId: 'other', idempotencyToken: 'other' }));
    const elsewhere = await runner.start(request({ projectName: 'spa-cd-local-production', environment: 'production', deploymentId: 'p', idempotencyToken: 'p' }));
    writeFileSync(join(root, 'release'), '');
    await runner.idle();

    expect(first.outcome).toBe('started');
    expect(same).toEqual(first);
    expect(other.outcome).toBe('busy');
    expect(elsewhere.outcome).toBe('started');
  });

  it('stops a running build with its whole process group and reports STOPPED', async () => {
    const runner = open(`version: 0.2
phases:
  build:
    commands:
      - sleep 30 & echo "background $!"; echo started; wait
`);

    const started = await runner.start(request());
    await until(() => lines.includes('[sandbox build#1] started'));
    const background = Number(lines.find((l) => l.includes('background'))?.split(' ').pop());
    await runner.stop(started.outcome === 'started' ? started.buildId : '');

    expect(changes.at(-1)).toMatchObject({ status: 'STOPPED' });
    expect(() => process.kill(background, 0)).toThrow();
  });

  it('finds a build by deployment id and describes it after a restart; a build whose runner died is FAULT', async () => {
    const buildspec = `version: 0.2
phases:
  build:
    commands:
      - echo started; sleep 30
`;
    const first = open(buildspec);
    const started = await first.start(request());
    await until(() => lines.includes('[sandbox build#1] started'));
    const buildId = started.outcome === 'started' ? started.buildId : '';
    // Simulates `spa-cd local` being killed: the record says IN_PROGRESS, the process still runs.
    const record = readFileSync(join(root, 'builds', `${buildId.replace(':', '-')}.build.json`), 'utf8');
    const stateCopy = join(root, 'builds-copy');
    cpSync(join(root, 'builds'), stateCopy, { recursive: true });

    const second = open(buildspec, { stateDir: stateCopy });
    const found = await second.findBuild('spa-cd-local-sandbox', 'sandbox-cccccccccccc-0123456789');
    const [described] = await second.describe([`arn:aws:codebuild:xx-local-1:000000000000:build/${buildId}`]);

    expect(JSON.parse(record)).toMatchObject({ status: 'IN_PROGRESS' });
    expect(found?.buildId).toBe(buildId);
    expect(described).toMatchObject({ status: 'FAULT', failedPhase: 'BUILD', deploymentId: 'sandbox-cccccccccccc-0123456789' });
    expect(described?.failureMessage).toContain('killed');
    // The second runner ended the leftover processes of that build: the first one sees its command die.
    await first.idle();
    expect(changes.at(-1)?.status).toBe('FAILED');
  });

  it('refuses to start with a buildspec it cannot run, with the reason', async () => {
    const runner = open('version: 0.2\nphases:\n  deploy:\n    commands: [echo]\n');

    const started = await runner.start(request());

    expect(started).toEqual({ outcome: 'refused', reason: expect.stringContaining('unknown phase deploy') });
  });

  it('passes hostile values as data only: nothing in a variable is run', async () => {
    const runner = open(`version: 0.2
phases:
  build:
    commands:
      - printf 'version=%s\\n' "$SPA_CD_SPA_VERSION"
`);

    await runner.start(request({ spaVersion: '$(touch pwned); `touch pwned2`' }));
    await runner.idle();

    expect(lines).toContain('[sandbox build#1] version=$(touch pwned); `touch pwned2`');
    expect(changes.at(-1)?.status).toBe('SUCCEEDED');
  });

  it('passes the variables of this machine it is told to, under the buildspec and StartBuild values', async () => {
    const runner = open(
      `version: 0.2
env:
  variables:
    FROM_SPEC: spec
phases:
  build:
    commands:
      - echo "profile=$AWS_PROFILE spec=$FROM_SPEC env=$SPA_CD_ENVIRONMENT home=\${HOME##*/}"
`,
      { passEnv: { AWS_PROFILE: 'devops', FROM_SPEC: 'machine', SPA_CD_ENVIRONMENT: 'machine' } },
    );

    await runner.start(request());
    await runner.idle();

    expect(lines).toContain('[sandbox build#1] profile=devops spec=spec env=sandbox home=home');
  });

  it('ends a build that runs past its timeout, TIMED_OUT', async () => {
    const runner = open(
      `version: 0.2
phases:
  build:
    commands:
      - sleep 30
`,
      { timeoutMinutes: 0.005 },
    );

    await runner.start(request());
    await runner.idle();

    expect(changes.at(-1)).toMatchObject({ status: 'TIMED_OUT' });
    expect(changes.at(-1)?.phases[0]).toMatchObject({ type: 'BUILD', status: 'TIMED_OUT' });
  });
});
