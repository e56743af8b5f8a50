import { planEnvironment, type EnvironmentPlan, type Plan } from '../../shared/domain/plan/plan';
import type { Diagnostic } from '../../shared/domain/settings/diagnostics';
import { CODECOMMIT_COMMENT_MAX_CHARS, isSummaryComment, renderPlanMarkdown, SUMMARY_MARKER } from '../../shared/rendering/plan-markdown';
import { accountId, COMMIT_A, COMMIT_B, diagnostic, item, plan, settings, snapshot, SPA_NEW, SPA_OLD } from '../domain/plan/plan-fixtures';
import { brokenTableRows, count, outsideCode, unexpectedLines } from './markdown-checks';

const HEAD_V2 = { spaVersion: 'v2.0.0', spaResolved: { kind: 'tag', name: 'v2.0.0', commit: SPA_NEW, annotated: true } } as const;

function prodEnvironment(overrides: Partial<Parameters<typeof planEnvironment>[0]> = {}): EnvironmentPlan {
  return planEnvironment({
    name: 'prod',
    path: 'environments/prod',
    diagnostics: [],
    base: snapshot(settings([item('111111111111', { tags: { owner: 'alice', n: 1 } }), item('222222222222')], [], { automation_region: 'eu-west-1' })),
    head: snapshot(
      settings([item('111111111111', { tags: { owner: 'bob', n: '1' }, preparation: 'enabled' }), item('333333333333')], [item('ou-new')], {
        automation_region: 'eu-west-3',
      }),
      HEAD_V2,
    ),
    ...overrides,
  });
}

function lines(markdown: string): string[] {
  return markdown.split('\n');
}

describe('Function: renderPlanMarkdown', () => {
  describe('layout', () => {
    it('starts with the marker a bot finds its comment by, then the title and the verdict', () => {
      // Prepare
      const p = plan({ environments: [prodEnvironment()] });

      // Act
      const md = renderPlanMarkdown(p);

      // Assess
      expect(lines(md).slice(0, 3)).toEqual([SUMMARY_MARKER, '## spa-cd plan', '✅ **The affected environment is valid**']);
      expect(isSummaryComment(md)).toBe(true);
      expect(isSummaryComment('a human comment')).toBe(false);
    });

    it('uses the header given by the caller', () => {
      // Act
      const md = renderPlanMarkdown(plan(), { header: '## Review of settings' });

      // Assess
      expect(lines(md)[1]).toBe('## Review of settings');
    });

    it('counts the invalid environments and all findings in the verdict', () => {
      // Prepare
      const invalid = prodEnvironment({ name: 'dev', path: 'environments/dev', diagnostics: [diagnostic(), diagnostic(), diagnostic({ severity: 'warning' })] });
      const p = plan({ environments: [prodEnvironment(), invalid] });

      // Act
      const md = renderPlanMarkdown(p);

      // Assess
      expect(lines(md)[2]).toBe('❌ **1 of 2 affected environments invalid** · 2 errors, 1 warning');
    });

    it('says all environments are valid, with their warnings', () => {
      // Prepare
      const p = plan({ environments: [prodEnvironment(), prodEnvironment({ name: 'dev', diagnostics: [diagnostic({ severity: 'warning' })] })] });

      // Act
      const md = renderPlanMarkdown(p);

      // Assess
      expect(lines(md)[2]).toBe('✅ **All 2 affected environments valid** · 0 errors, 1 warning');
    });

    it('says when no environment is affected and lists the other changed paths', () => {
      // Prepare
      const p = plan({ unaffectedChanges: ['README.md', 'docs/x.md'] });

      // Act
      const md = renderPlanMarkdown(p);

      // Assess
      expect(lines(md)[2]).toBe('✅ **No environment affected**: nothing to deploy');
      expect(md).toContain('Changes outside `environments/` (they deploy nothing): 2 paths\n- `README.md`\n- `docs/x.md`');
    });

    it('names the commits compared', () => {
      // Act
      const md = renderPlanMarkdown(plan());

      // Assess
      expect(md).toContain('Compared `main` (`aaaaaaa`) → `feature` (`bbbbbbb`)');
    });

    it('says which commit of the pull request was reviewed, and the approval when gating', () => {
      // Prepare
      const p = plan({
        environments: [prodEnvironment({ diagnostics: [diagnostic()] })],
        context: { pullRequestId: '42', title: 'Raise budgets', revisionId: 'rev-1', reviewedCommit: COMMIT_B, trunk: 'main', gating: true },
      });

      // Act
      const md = renderPlanMarkdown(p);

      // Assess
      expect(md).toContain('Pull request `42`: Raise budgets');
      expect(md).toContain(`Reviewed commit \`${COMMIT_B}\` into \`main\`, revision \`rev-1\``);
      expect(md).toContain('Approval: **revoked** by spa-cd (invalid settings)');
    });
  });

  describe('environment section', () => {
    it('lists diagnostics as file:line:column severity code message, errors first', () => {
      // Prepare
      const diagnostics: Diagnostic[] = [
        diagnostic({ file: 'environments/prod/a.csv', line: 1, column: 1, severity: 'warning', code: 'unknown-feature', message: 'Feature is odd' }),
        diagnostic({ file: 'environments/prod/settings.yaml', line: 12, column: 3, code: 'unknown-attribute', message: 'Unknown attribute', hint: 'Remove it' }),
      ];

      // Act
      const md = renderPlanMarkdown(plan({ environments: [prodEnvironment({ diagnostics })] }));

      // Assess
      const items = lines(md).filter((l) => l.startsWith('- `environments/prod/'));
      expect(items).toEqual([
        '- `environments/prod/settings.yaml:12:3` **error** `unknown-attribute` Unknown attribute (Remove it)',
        '- `environments/prod/a.csv:1:1` **warning** `unknown-feature` Feature is odd',
      ]);
      expect(md).toContain('### ❌ `prod`: invalid\nFolder `environments/prod` · 1 error, 1 warning');
    });

    it('shows the SPA version change with short resolved commits', () => {
      // Act
      const md = renderPlanMarkdown(plan({ environments: [prodEnvironment()] }));

      // Assess
      expect(md).toContain(`- **SPA version:** \`v1.0.0\` (\`${SPA_OLD.slice(0, 7)}\`) → \`v2.0.0\` (\`${SPA_NEW.slice(0, 7)}\`)`);
    });

    it('says unresolved when the code repository could not be asked', () => {
      // Prepare
      const env = prodEnvironment({ head: snapshot(settings(), { spaVersion: 'v2.0.0', spaResolved: { kind: 'unresolved', name: 'v2.0.0', reason: 'HTTP 503' } }) });

      // Act
      const md = renderPlanMarkdown(plan({ environments: [env] }));

      // Assess
      expect(md).toContain('→ `v2.0.0` (unresolved: HTTP 503)');
      expect(md).toContain('- **Merge will:** deploy `prod` with SPA `v2.0.0` (commit resolved at deploy time)');
    });

    it('says when the SPA version is unchanged', () => {
      // Prepare
      const env = prodEnvironment({ head: snapshot(settings()) });

      // Act
      const md = renderPlanMarkdown(plan({ environments: [env] }));

      // Assess
      expect(md).toContain(`- **SPA version:** \`v1.0.0\` (\`${SPA_OLD.slice(0, 7)}\`), unchanged`);
    });

    it.each([
      ['deploys', {}, [], `- **Merge will:** deploy \`prod\` with SPA \`v2.0.0\` (commit \`${SPA_NEW.slice(0, 7)}\`)`],
      ['records PENDING', { autoDeploy: false }, [], '- **Merge will:** be recorded **PENDING** (auto_deploy: `false`): nothing is deployed until `spa-cd deploy --env prod`'],
      ['is blocked when frozen', { frozen: true }, [], '- **Merge will:** be **blocked**: the environment is frozen (`frozen: true`), nothing is deployed'],
      ['is REJECTED when invalid', {}, [diagnostic()], '- **Merge will:** be **REJECTED**: invalid settings (1 error), nothing is deployed'],
    ])('says what a merge will deploy: %s', (_name, headOverrides, diagnostics, expected) => {
      // Prepare
      const env = prodEnvironment({ diagnostics, head: snapshot(settings(), { ...HEAD_V2, ...headOverrides }) });

      // Act
      const md = renderPlanMarkdown(plan({ environments: [env] }));

      // Assess
      expect(md).toContain(expected);
    });

    it('shows manifest flag changes', () => {
      // Prepare
      const env = prodEnvironment({ head: snapshot(settings(), { autoDeploy: false }) });

      // Act
      const md = renderPlanMarkdown(plan({ environments: [env] }));

      // Assess
      expect(md).toContain('- **Manifest:** auto_deploy: `true` → `false`');
    });

    it('marks a new and a removed environment', () => {
      // Prepare
      const added = prodEnvironment({ name: 'new', base: undefined });
      const removed = prodEnvironment({ name: 'old', head: undefined });

      // Act
      const md = renderPlanMarkdown(plan({ environments: [added, removed] }));

      // Assess
      expect(md).toContain('### ✅ `new` (new environment): valid');
      expect(md).toContain('### ✅ `old` (removed): valid');
      expect(md).toContain('- **Merge will:** nothing: the environment is removed, there is nothing to deploy');
      expect(md).toContain(`- **SPA version:** \`v2.0.0\` (\`${SPA_NEW.slice(0, 7)}\`) (new environment)`);
    });

    it('gives the blast radius', () => {
      // Act
      const md = renderPlanMarkdown(plan({ environments: [prodEnvironment()] }));

      // Assess
      expect(md).toContain('- **Blast radius:** 3 accounts (1 added, 1 removed, 1 changed), 1 organizational unit (1 added); 1 attribute change');
    });

    it('says when the effective settings are unchanged', () => {
      // Prepare
      const same = settings([item('111111111111')]);
      const env = prodEnvironment({ base: snapshot(same), head: snapshot(same) });

      // Act
      const md = renderPlanMarkdown(plan({ environments: [env] }));

      // Assess
      expect(md).toContain('- **Blast radius:** effective settings unchanged');
      expect(md).not.toContain('<details>');
    });

    it('details tag, feature and attribute changes in tables, showing type changes', () => {
      // Act
      const md = renderPlanMarkdown(plan({ environments: [prodEnvironment()] }));

      // Assess
      expect(md).toContain('| `111111111111` | tag changed | `n` | `1` | `"1"` |');
      expect(md).toContain('| `111111111111` | tag changed | `owner` | `"alice"` | `"bob"` |');
      expect(md).toContain('| `111111111111` | preparation feature | | `"disabled"` | `"enabled"` |');
      expect(md).toContain('| `automation_region` | changed | `"eu-west-1"` | `"eu-west-3"` |');
      expect(md).toContain('**Accounts added** (1)');
      expect(md).toContain('| `333333333333` | `"disabled"` | `"disabled"` | 0 |  |');
      expect(md).toContain('**Organizational units added** (1)');
      expect(brokenTableRows(md)).toEqual([]);
    });

    it('collapses long details in a details element', () => {
      // Prepare
      const many = Array.from({ length: 30 }, (_, i) => item(accountId(i)));
      const env = prodEnvironment({ base: snapshot(settings()), head: snapshot(settings(many)) });

      // Act
      const md = renderPlanMarkdown(plan({ environments: [env] }));

      // Assess
      expect(md).toContain('<details><summary>Changes: 30 accounts</summary>');
      expect(count(md, '<details>')).toBe(count(md, '</details>'));
      expect(md).not.toContain('✂');
    });
  });

  describe('hostile values', () => {
    const evil = {
      link: '](javascript:alert(1))',
      img: '<img src=x onerror=alert(1)>',
      md: '[link](http://evil) @all @here <details> </details> ``` | # x\n> y\u202Egnp.exe',
      pipe: 'x\\|[click](http://evil)\\',
    };
    const all = Object.values(evil).join(' ');

    function hostilePlan(): Plan {
      const id = `1234${evil.md}`;
      const before = settings([item(id, { tags: { [evil.img]: evil.link } }), item(`gone${evil.md}`)], [], { [evil.md]: evil.img });
      const after = settings([item(id, { tags: { [evil.img]: all, [evil.pipe]: evil.pipe }, note: all, preparationVariables: { [all]: all } }), item(`new${evil.md}`, { note: all })], [item(`ou-${all}`)], {
        [evil.md]: all,
      });
      const env = planEnvironment({
        name: `prod${all}`,
        path: `environments/${all}`,
        diagnostics: [diagnostic({ file: `environments/${all}/settings.yaml`, code: all, message: all, hint: all }), diagnostic({ severity: 'warning', message: all })],
        base: snapshot(before, { spaVersion: all }),
        head: snapshot(after, { spaVersion: `v${all}`, spaResolved: { kind: 'unresolved', name: all, reason: all }, autoDeploy: false }),
      });
      const pending = planEnvironment({
        name: `prod${all}`,
        path: `environments/${all}`,
        diagnostics: [],
        base: snapshot(before),
        head: snapshot(after, { autoDeploy: false }),
      });
      return plan({
        base: { ref: all, commit: all },
        head: { ref: all, commit: COMMIT_A },
        environments: [env, pending],
        unaffectedChanges: [all],
        context: { pullRequestId: all, title: all, revisionId: all, reviewedCommit: all, trunk: all, gating: true },
      });
    }

    it('lets no HTML through but its own details elements and marker', () => {
      // Act
      const md = renderPlanMarkdown(hostilePlan());

      // Assess
      const ours = md.replace(SUMMARY_MARKER, '').replace(/<details><summary>[\w ,:]+<\/summary>/g, '').replace(/^<\/details>$/gm, '');
      expect(outsideCode(ours)).not.toMatch(/</);
      expect(md.match(/^<details><summary>/gm)?.length).toBe(md.match(/^<\/details>$/gm)?.length);
    });

    it('leaves no link, image or URL outside code spans', () => {
      // Act
      const text = outsideCode(renderPlanMarkdown(hostilePlan()));

      // Assess
      expect(text).not.toMatch(/[^\\]\]\(/);
      expect(text).not.toMatch(/:\/\//);
      expect(text).not.toMatch(/(^|[^\\])\[/);
    });

    it('notifies nobody', () => {
      // Act
      const text = outsideCode(renderPlanMarkdown(hostilePlan()));

      // Assess
      expect(text).not.toMatch(/@[A-Za-z]/);
    });

    it('keeps every value in its line and every table row in its columns', () => {
      // Act
      const md = renderPlanMarkdown(hostilePlan());

      // Assess
      expect(unexpectedLines(md)).toEqual([]);
      expect(brokenTableRows(md)).toEqual([]);
    });

    it('strips bidi overrides everywhere', () => {
      // Act
      const md = renderPlanMarkdown(hostilePlan());

      // Assess
      expect(md).not.toContain('\u202E');
      expect(md).toContain('⟨U');
    });

    it('quotes a hostile environment name in the deploy command it suggests', () => {
      // Act
      const md = renderPlanMarkdown(hostilePlan());

      // Assess
      expect(md).toContain("spa-cd deploy --env 'prod](javascript:alert(1)) <img");
    });

    it('stays under the cap with 10,000-character values', () => {
      // Prepare
      const huge = `${'<'.repeat(5000)}${'`'.repeat(5000)}`;
      const env = prodEnvironment({ name: huge, path: huge, diagnostics: [diagnostic({ file: huge, message: huge, hint: huge, code: huge })] });

      // Act
      const md = renderPlanMarkdown(plan({ environments: [env], context: { pullRequestId: huge, title: huge, reviewedCommit: huge, trunk: huge } }));

      // Assess
      expect(md.length).toBeLessThanOrEqual(CODECOMMIT_COMMENT_MAX_CHARS);
      expect(unexpectedLines(md)).toEqual([]);
    });
  });

  describe('size cap', () => {
    function bigPlan(accounts: number, diagnostics: number): Plan {
      const ids = Array.from({ length: accounts }, (_, i) => accountId(i));
      const before = settings(ids.map((id) => item(id, { tags: { owner: 'alice' } })));
      const after = settings(ids.map((id) => item(id, { tags: { owner: 'bob' }, preparation: 'enabled' })));
      const diags = Array.from({ length: diagnostics }, (_, i) =>
        diagnostic({ line: i + 1, message: `Account ${accountId(i)} has an unknown key \`x${i}\``, severity: i % 10 === 9 ? 'warning' : 'error' }),
      );
      return plan({ environments: [prodEnvironment({ diagnostics: diags, base: snapshot(before), head: snapshot(after, HEAD_V2) })] });
    }

    it('fits 5,000 changed accounts and 300 diagnostics in 10,240 characters and still counts the errors', () => {
      // Prepare
      const p = bigPlan(5000, 300);

      // Act
      const md = renderPlanMarkdown(p);

      // Assess
      expect(md.length).toBeLessThanOrEqual(10_240);
      expect(md).toContain('✂ truncated to fit the comment size limit: run `spa-cd plan --base aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa --head bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb` for the full report');
      expect(lines(md)[2]).toBe('❌ **1 of 1 affected environment invalid** · 270 errors, 30 warnings');
      expect(md).toContain('- **Blast radius:** 5000 accounts (5000 changed)');
      expect(md).toMatch(/- … and \d+ more \(\d+ errors, \d+ warnings\)/);
    });

    it('lists identifiers instead of tables before dropping them', () => {
      // Prepare
      const p = bigPlan(200, 0);

      // Act
      const md = renderPlanMarkdown(p);

      // Assess
      expect(md.length).toBeLessThanOrEqual(10_240);
      expect(md).toContain('**Accounts changed** (200):');
      expect(md).not.toContain('| account | change |');
      expect(md).toContain('✂ truncated');
    });

    it('cuts whole lines, closes details and keeps the verdict when even counts do not fit', () => {
      // Prepare
      const envs = Array.from({ length: 300 }, (_, i) =>
        prodEnvironment({ name: `env-${String(i).padStart(3, '0')}`, path: `environments/env-${i}`, diagnostics: [diagnostic()] }),
      );

      // Act
      const md = renderPlanMarkdown(plan({ environments: envs }));

      // Assess
      expect(md.length).toBeLessThanOrEqual(10_240);
      expect(lines(md)[2]).toBe('❌ **300 of 300 affected environments invalid** · 300 errors, 0 warnings');
      expect(lines(md).at(-1)).toMatch(/^✂ truncated/);
      expect(md).toContain('### ❌ `env-000`: invalid');
      expect(count(md, '<details>')).toBe(count(md, '</details>'));
      expect(unexpectedLines(md)).toEqual([]);
    });

    it.each([0, 1, 50, 200, 500, 999])('never exceeds a tiny cap of %i characters', (maxChars) => {
      // Prepare
      const p = bigPlan(50, 20);

      // Act
      const md = renderPlanMarkdown(p, { maxChars });

      // Assess
      expect(md.length).toBeLessThanOrEqual(maxChars);
    });

    it('keeps the marker and the note when the cap is just enough for them', () => {
      // Act
      const md = renderPlanMarkdown(bigPlan(500, 100), { maxChars: 1000 });

      // Assess
      expect(md.length).toBeLessThanOrEqual(1000);
      expect(lines(md)[0]).toBe(SUMMARY_MARKER);
      expect(md).toContain('✂ truncated');
    });

    it('counts with the measure it is given, such as UTF-8 bytes', () => {
      // Prepare
      const p = bigPlan(300, 30);
      const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

      // Act
      const md = renderPlanMarkdown(p, { maxChars: 4000, measure: bytes });

      // Assess
      expect(bytes(md)).toBeLessThanOrEqual(4000);
    });

    it('prints everything with no cap', () => {
      // Act
      const md = renderPlanMarkdown(bigPlan(300, 30), { maxChars: Infinity });

      // Assess
      expect(md).not.toContain('✂');
      expect(count(md, '| tag changed |')).toBe(300);
    });
  });
});
