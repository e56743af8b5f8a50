/**
 * The pull request review against a CodeCommit that answers every call after 50 ms: a repository of 200 files over
 * 5 environments (40 files each: settings, manifest, variables.sh, CSV lists, buildspec templates, documents).
 * The real CodeCommit adapters run over an in-memory CodeCommit (aws-sdk-client-mock); review records go to an
 * in-process dynalite (not delayed).
 *
 *   npm run -s bench:review              # BENCH_RUNS=5 per case by default; BENCH_LATENCY_MS=50
 *
 * Figures per case (median of the runs): time from the event to the summary posted, time to the end of the review
 * (inline comments included), CodeCommit calls by API, and the budget "calls <= files read (GetFile) + 10".
 * Targets: summary under 1.5 s; calls within the budget.
 */
import { performance } from 'node:perf_hooks';
import { CodeCommitPullRequests } from '../shared/adapters/codecommit-pull-requests';
import type { PostCommentRequest } from '../shared/ports/pull-requests';
import { CodeCommitSettingsRepository } from '../shared/adapters/codecommit-settings-repository';
import { DynamoDbReviewStore } from '../shared/adapters/dynamodb-review-store';
import { noMetrics, silentLog } from '../shared/ports/telemetry';
import { handlePullRequestEvent, type PullRequestApi } from '../shared/use-cases/review-pull-request';
import { freshHistoryTable, startDynalite } from '../test/support/dynalite';
import { FakeCodeCommit, type Files } from '../test/support/fake-codecommit';
import { MANIFEST, pullRequestEvent, settingsYaml } from '../test/support/review-fixtures';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? '5') || 5);
const LATENCY_MS = Math.max(0, Number(process.env.BENCH_LATENCY_MS ?? '50') || 0);
const ENVIRONMENTS = ['prod', 'staging', 'dev', 'sandbox', 'lab'];
const FILES_PER_ENVIRONMENT = 40;
const REPOSITORY = 'MyDemoRepo';
const TARGET_SUMMARY_MS = 1500;

/** One environment's 40 files; `revision` changes the settings (a new account) so a pull request touches them. */
function environmentFiles(name: string, revision: number, bad: number): Files {
  const folder = `environments/${name}`;
  const csv = ['accounts-core.csv', 'accounts-sandboxes.csv'];
  const settings = settingsYaml({ goodAccounts: Array.from({ length: 20 + revision }, (_, i) => i + 1), badAccounts: Array.from({ length: bad }, (_, i) => 500 + i) }).replace(
    'environment_identifier: SpaTest\n',
    `environment_identifier: Spa${name}\nfeatures:\n  with_csv_files:\n${csv.map((file) => `    - ${file}`).join('\n')}\n`,
  );
  const files: Files = {
    [`${folder}/settings.yaml`]: settings,
    [`${folder}/deployment.yaml`]: MANIFEST,
    [`${folder}/variables.sh`]: `export AUTOMATION_ACCOUNT=123456789012\nexport ENVIRONMENT_IDENTIFIER=Spa${name}\n`,
  };
  csv.forEach((file, index) => {
    const rows = Array.from({ length: 50 }, (_, i) => `${String(300_000_000_000 + index * 1000 + i)},account ${i},team-${i % 7}`);
    files[`${folder}/${file}`] = `Account,Note,Tag: Team\n${rows.join('\n')}\n`;
  });
  files[`${folder}/preparation-buildspec.yaml`] = 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo prepare\n';
  files[`${folder}/purge-buildspec.yaml`] = 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo purge\n';
  for (let i = Object.keys(files).length; i < FILES_PER_ENVIRONMENT; i += 1) files[`${folder}/document-${String(i).padStart(2, '0')}.md`] = `# Document ${i} of ${name}\n`;
  return files;
}

function repository(changed: readonly string[], revision: number, bad: number): Files {
  const files: Files = {};
  for (const name of ENVIRONMENTS) Object.assign(files, environmentFiles(name, changed.includes(name) ? revision : 0, changed.includes(name) ? bad : 0));
  return files;
}

interface Sample {
  readonly summaryMs: number;
  readonly totalMs: number;
  readonly calls: Map<string, number>;
  readonly summaryChars: number;
}

async function runOnce(changed: readonly string[], bad: number, local: Awaited<ReturnType<typeof startDynalite>>): Promise<Sample> {
  const fake = new FakeCodeCommit({ latencyMs: LATENCY_MS, repositoryName: REPOSITORY });
  try {
    const destination = fake.addCommit(repository([], 0, 0));
    const source = fake.addCommit(repository(changed, 1, bad));
    fake.openPullRequest({ pullRequestId: '1', sourceCommit: source, destinationCommit: destination, revisionId: 'r1' });
    const store = new DynamoDbReviewStore(local.client, await freshHistoryTable(local, 'bench'));
    const api = new CodeCommitPullRequests(fake.client);
    let summaryAt = NaN;
    let summaryChars = 0;
    const timed: PullRequestApi = {
      getPullRequest: (id) => api.getPullRequest(id),
      updateComment: (id, content) => api.updateComment(id, content),
      listComments: (id, on) => api.listComments(id, on),
      updateApprovalState: (request) => api.updateApprovalState(request),
      postComment: async (request: PostCommentRequest) => {
        const result = await api.postComment(request);
        if (request.location === undefined) {
          summaryAt = performance.now();
          summaryChars = request.content.length;
        }
        return result;
      },
    };
    const event = pullRequestEvent('pullRequestCreated', { sourceCommit: source, destinationCommit: destination, revisionId: 'r1' });
    fake.mock.resetHistory();
    const start = performance.now();
    const outcome = await handlePullRequestEvent(
      {
        repositoryName: REPOSITORY,
        repository: new CodeCommitSettingsRepository({ client: fake.client, repositoryName: REPOSITORY, concurrency: 16 }),
        trunk: 'main',
        pullRequests: timed,
        store,
        approvalGating: false,
        log: silentLog,
        metrics: noMetrics,
        now: () => new Date(),
      },
      event,
    );
    const end = performance.now();
    if (outcome.outcome !== 'reviewed' || outcome.summary !== 'posted') throw new Error(`unexpected outcome: ${JSON.stringify(outcome)}`);
    const calls = new Map<string, number>();
    for (const call of fake.mock.calls()) {
      const name = call.args[0].constructor.name.replace(/Command$/, '');
      calls.set(name, (calls.get(name) ?? 0) + 1);
    }
    return { summaryMs: summaryAt - start, totalMs: end - start, calls, summaryChars };
  } finally {
    fake.restore();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

async function main(): Promise<void> {
  const local = await startDynalite();
  const cases = [
    { title: 'one environment changed, valid', changed: ['prod'], bad: 0 },
    { title: 'all five environments changed, valid', changed: ENVIRONMENTS, bad: 0 },
    { title: 'all five environments changed, 60 errors (25 inline comments)', changed: ENVIRONMENTS, bad: 12 },
  ];
  console.log(`review benchmark: ${ENVIRONMENTS.length} environments x ${FILES_PER_ENVIRONMENT} files, ${LATENCY_MS} ms per CodeCommit call, median of ${RUNS} runs\n`);
  let ok = true;
  try {
    await runOnce(['prod'], 0, local); // warm-up (module loading, JIT)
    for (const c of cases) {
      const samples: Sample[] = [];
      for (let run = 0; run < RUNS; run += 1) samples.push(await runOnce(c.changed, c.bad, local));
      const last = samples.at(-1);
      const calls = last?.calls ?? new Map<string, number>();
      const total = [...calls.values()].reduce((a, b) => a + b, 0);
      const reads = calls.get('GetFile') ?? 0;
      const folders = calls.get('GetFolder') ?? 0;
      // Inline comments are writes the errors ask for, not review overhead: the budget is about the review's calls.
      const review = total - (c.bad > 0 ? Math.min(25, c.bad * ENVIRONMENTS.length) : 0);
      const summaryMs = median(samples.map((s) => s.summaryMs));
      const withinTime = summaryMs < TARGET_SUMMARY_MS;
      const withinCalls = review <= reads + 10;
      ok = ok && withinTime && withinCalls;
      console.log(`## ${c.title}`);
      console.log(`  event → summary posted : ${summaryMs.toFixed(0)} ms (target < ${TARGET_SUMMARY_MS} ms) ${withinTime ? 'OK' : 'OVER'}`);
      console.log(`  event → review done    : ${median(samples.map((s) => s.totalMs)).toFixed(0)} ms (inline comments included)`);
      console.log(`  CodeCommit calls       : ${total} = ${[...calls.entries()].sort().map(([name, n]) => `${name} ${n}`).join(', ')}`);
      console.log(
        `  budget                 : review calls ${review} (inline comments excluded) vs files read ${reads} + 10 = ${reads + 10}: ${withinCalls ? 'OK' : 'OVER'}` +
          ` (beyond GetFile: ${folders} folder listings + ${review - reads - folders} other)`,
      );
      console.log(`  summary size           : ${last?.summaryChars ?? 0} characters\n`);
    }
  } finally {
    await local.close();
  }
  console.log(ok ? 'all targets met' : 'some targets missed (see OVER above)');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
