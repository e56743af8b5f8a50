import type { Deployment } from '../../shared/domain/deployment/deployment';
import { planEnvironment } from '../../shared/domain/plan/plan';
import type { InlineFinding } from '../../shared/domain/review/inline-comments';
import type { RevisionLogEntry } from '../../shared/domain/review/revision-log';
import { CODECOMMIT_COMMENT_MAX_CHARS, SUMMARY_MARKER } from '../../shared/rendering/plan-markdown';
import {
  DEPLOYMENT_MARKER,
  formatDuration,
  REVIEW_HEADER,
  renderDeploymentResult,
  renderInlineComment,
  renderReviewSummary,
  revisionLine,
  safeConsoleUrl,
} from '../../shared/rendering/review-comments';
import { diagnostic, item, plan, settings, snapshot } from '../domain/plan/plan-fixtures';
import { outsideCode } from './markdown-checks';

const S = '1234567'.padEnd(40, '0');
const D = 'd'.repeat(40);
const HOSTILE = '@all [click](https://evil.example) <img src=x onerror=alert(1)> </details> **bold** | `tick` \u202Egnp.exe\n# heading';

function entry(overrides: Partial<RevisionLogEntry>): RevisionLogEntry {
  return { revision: 1, sourceCommit: S, destinationCommit: D, errors: 0, warnings: 0, fixed: 0, introduced: 0, reviewedAt: '2026-01-01T00:00:00.000Z', ...overrides };
}

function deployment(overrides: Partial<Deployment> = {}): Deployment {
  return {
    id: 'prod-0123456789abcdef',
    environment: 'prod',
    status: 'SUCCEEDED',
    settingsCommit: S,
    environmentPath: 'environments/prod',
    spaVersion: 'v1.2.3',
    spaCommit: 'f'.repeat(40),
    codeGitUrl: 'https://github.com/reply-fr/sustainable-personal-accounts.git',
    trigger: 'merge',
    causedBy: 'arn:aws:sts::123456789012:assumed-role/Admin/Mary_Major',
    createdAt: '2026-01-01T00:00:00.000Z',
    startedAt: '2026-01-01T00:00:10.000Z',
    finishedAt: '2026-01-01T00:12:15.000Z',
    durationSeconds: 725,
    buildId: 'spa-cd-prod:1234',
    logsUrl: 'https://eu-west-1.console.aws.amazon.com/codesuite/codebuild/123456789012/projects/spa-cd-prod/build/spa-cd-prod%3A1234/?region=eu-west-1',
    ...overrides,
  };
}

/** No link, mention, HTML or heading survives outside code spans. */
function expectInert(markdown: string): void {
  const outside = outsideCode(markdown);
  expect(outside).not.toMatch(/\]\(https?:\/\/evil/);
  expect(outside).not.toMatch(/@all\b/);
  expect(outside).not.toMatch(/<img|<\/details> \*\*bold/);
  expect(outside).not.toMatch(/^# heading/m);
  expect(outside).not.toContain('\u202E');
}

describe('Function: revisionLine', () => {
  it('says what a revision fixed and what remains', () => {
    // Assess
    expect(revisionLine(entry({ revision: 3, fixed: 2, errors: 1 }))).toBe('revision 3 (`1234567`): 2 errors fixed, 1 remaining');
    expect(revisionLine(entry({ revision: 1, errors: 3, warnings: 1 }))).toBe('revision 1 (`1234567`): 3 errors, 1 warning');
    expect(revisionLine(entry({ revision: 2, fixed: 3, errors: 0 }))).toBe('revision 2 (`1234567`): 3 errors fixed, none remaining ✅');
    expect(revisionLine(entry({ revision: 4, introduced: 1, errors: 1 }))).toBe('revision 4 (`1234567`): 1 new, 1 remaining');
  });
});

describe('Function: renderReviewSummary', () => {
  it('is the plan with the review header, then the inline comment counts and the revision log, newest first', () => {
    // Prepare
    const env = planEnvironment({ name: 'prod', path: 'environments/prod', diagnostics: [diagnostic()], base: snapshot(settings([item('111111111111')])), head: snapshot(undefined) });
    const revisions = [entry({ revision: 1, errors: 3 }), entry({ revision: 2, fixed: 2, errors: 1 })];

    // Act
    const md = renderReviewSummary(plan({ environments: [env] }), { revisions, inline: { posted: 25, alreadyPosted: 0, overLimit: 35, unplaceable: 0, max: 25 } });

    // Assess
    const lines = md.split('\n');
    expect(lines.slice(0, 2)).toEqual([SUMMARY_MARKER, REVIEW_HEADER]);
    expect(md).toContain('**35 more errors** not commented inline (at most 25 per revision');
    expect(md.indexOf('revision 2 (')).toBeLessThan(md.indexOf('revision 1 ('));
  });

  it('stays within the limit with a huge plan, keeping the footer and a visible truncation note', () => {
    // Prepare
    const diagnostics = Array.from({ length: 400 }, (_, i) => diagnostic({ line: i + 1, message: `${HOSTILE} ${'x'.repeat(300)}` }));
    const env = planEnvironment({ name: 'prod', path: 'environments/prod', diagnostics, head: snapshot(undefined) });
    const revisions = Array.from({ length: 50 }, (_, i) => entry({ revision: i + 1, errors: 400 }));

    // Act
    const md = renderReviewSummary(plan({ environments: [env] }), { revisions, inline: { posted: 25, alreadyPosted: 0, overLimit: 375, unplaceable: 0, max: 25 } });

    // Assess
    expect(md.length).toBeLessThanOrEqual(CODECOMMIT_COMMENT_MAX_CHARS);
    expect(md).toContain('✂ truncated');
    expect(md).toContain('spa-cd plan');
    expect(md).toContain('**375 more errors**');
    expect(md).toContain('(newest 10 of 50)');
    expectInert(md);
  });

  it('escapes a hostile pull request title', () => {
    // Prepare
    const p = plan({ environments: [], context: { pullRequestId: '7', title: HOSTILE, reviewedCommit: S, trunk: 'main' } });

    // Act
    const md = renderReviewSummary(p, { revisions: [] });

    // Assess
    expect(md).toContain('No environment affected');
    expectInert(md);
  });

  it('says why approval was not given', () => {
    // Act
    const md = renderReviewSummary(plan(), { revisions: [], approval: 'author-cannot-approve' });

    // Assess
    expect(md).toContain('**Approval:** not given: CodeCommit does not let the author of a pull request approve it');
  });

  it('never exceeds a tiny limit', () => {
    // Act
    const md = renderReviewSummary(plan(), { revisions: [entry({})], maxChars: 80 });

    // Assess
    expect(md.length).toBeLessThanOrEqual(80);
    expect(md.startsWith(SUMMARY_MARKER)).toBe(true);
  });
});

describe('Function: renderInlineComment', () => {
  it('names the code, the message, the hint and the reviewed commit, all escaped', () => {
    // Prepare
    const d = diagnostic({ line: 4, code: 'wrong-type', message: HOSTILE, hint: HOSTILE });
    const finding: InlineFinding = { key: 'k', file: d.file, line: 4, code: 'wrong-type', diagnostics: [d] };

    // Act
    const md = renderInlineComment(finding, S);

    // Assess
    expect(md.startsWith('❌ **spa-cd error** `wrong-type`: ')).toBe(true);
    expect(md).toContain('What to do: ');
    expect(md).toContain('spa-cd review of commit `1234567`, line 4 of `environments/prod/settings.yaml`');
    expectInert(md);
  });
});

describe('Function: renderDeploymentResult', () => {
  it('gives environment, status, duration, SPA version, the build logs link', () => {
    // Act
    const md = renderDeploymentResult(deployment());

    // Assess
    expect(md.split('\n')[0]).toBe(DEPLOYMENT_MARKER);
    expect(md).toContain('### ✅ `prod`: deployed');
    expect(md).toContain('- **Status:** **`SUCCEEDED`** after 12 min 5 s');
    expect(md).toContain('- **SPA version:** `v1.2.3` (commit `fffffff`)');
    expect(md).toContain('[CodeBuild console](https://eu-west-1.console.aws.amazon.com/codesuite/codebuild/');
  });

  it('gives the failed phase and its message, escaped', () => {
    // Act
    const md = renderDeploymentResult(deployment({ status: 'FAILED', failedPhase: 'BUILD', reason: `COMMAND_EXECUTION_ERROR: ${HOSTILE}` }));

    // Assess
    expect(md).toContain('### ❌ `prod`: deployment failed');
    expect(md).toContain('- **Failed phase:** `BUILD`: COMMAND\\_EXECUTION\\_ERROR: ');
    expectInert(md);
  });

  it('shows a link only to the AWS console, else the build id', () => {
    // Act
    const md = renderDeploymentResult(deployment({ logsUrl: 'https://evil.example/x' }));

    // Assess
    expect(md).not.toContain('evil');
    expect(md).toContain('- **Build:** `spa-cd-prod:1234`');
  });

  it('tells how to deploy a PENDING deployment and lists the findings of a REJECTED one', () => {
    // Act
    const pending = renderDeploymentResult(deployment({ status: 'PENDING', durationSeconds: undefined, startedAt: undefined, finishedAt: undefined }));
    const rejected = renderDeploymentResult(deployment({ status: 'REJECTED', reason: 'invalid settings', diagnostics: [diagnostic({ message: HOSTILE })] }));

    // Assess
    expect(pending).toContain(`\`spa-cd deploy --env prod --commit ${S}\``);
    expect(rejected).toContain('**Findings** (1 error, 0 warnings)');
    expectInert(rejected);
  });
});

describe('Function: safeConsoleUrl', () => {
  it('accepts https console links and makes them safe as a link destination', () => {
    // Assess
    expect(safeConsoleUrl('https://console.aws.amazon.com/a(b)c')).toBe('https://console.aws.amazon.com/a%28b%29c');
    expect(safeConsoleUrl('http://console.aws.amazon.com/')).toBeUndefined();
    expect(safeConsoleUrl('https://console.aws.amazon.com.evil.example/')).toBeUndefined();
    expect(safeConsoleUrl('https://user:pw@console.aws.amazon.com/')).toBeUndefined();
    expect(safeConsoleUrl(undefined)).toBeUndefined();
  });
});

describe('Function: formatDuration', () => {
  it('reads like a person would say it', () => {
    // Assess
    expect([formatDuration(45), formatDuration(725), formatDuration(7380)]).toEqual(['45 s', '12 min 5 s', '2 h 3 min']);
  });
});
