import fc from 'fast-check';
import type { EnvironmentPlan, EnvironmentSnapshot, Plan } from '../../shared/domain/plan/plan';
import type { ResolvedVersion } from '../../shared/ports/version-resolver';
import type { Diagnostic } from '../../shared/domain/settings/diagnostics';
import type { EffectiveItem, EffectiveSettings } from '../../shared/domain/settings/effective-settings';
import { YamlBinary, YamlTimestamp, type SettingsMapping, type SettingsValue } from '../../shared/domain/settings/settings-value';
import { renderPlanJson } from '../../shared/rendering/plan-json';
import { renderPlanMarkdown, SUMMARY_MARKER } from '../../shared/rendering/plan-markdown';
import { unexpectedLines } from './markdown-checks';

/** Characters that matter to markdown, HTML, tables, mentions, bidi and UTF-16, plus anything at all. */
const hostileUnit = fc.constantFrom(
  '`', '|', '\\', '<', '>', '&', '@', '#', '*', '_', '[', ']', '(', ')', '!', '~', '$', ':', '/', '-', '.', '1',
  ' ', '\n', '\r', '\t', '\u202E', '\u2028', '\u200B', '\uD800', '\uDC00', '😀', 'a', 'www.', 'http://', '<details>', '</details>',
);
const text = fc.oneof(fc.string({ unit: hostileUnit, maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 300 }));

const value: fc.Arbitrary<SettingsValue> = fc.letrec<{ value: SettingsValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.bigInt(),
    text,
    text.map((t) => new YamlTimestamp(t, false)),
    text.map((t) => new YamlBinary(t)),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 4 }),
  ),
})).value;

const mapping: fc.Arbitrary<SettingsMapping> = fc.dictionary(text, value, { maxKeys: 5 });

const effectiveItem: fc.Arbitrary<EffectiveItem> = fc.record({
  identifier: text,
  account_tags: mapping,
  preparation: fc.record({ feature: value, variables: mapping }),
  purge: fc.record({ feature: value, variables: mapping }),
  note: fc.option(value, { nil: undefined }),
}).map(({ note, ...rest }) => (note === undefined ? rest : { ...rest, note }));

const effective: fc.Arbitrary<EffectiveSettings> = fc.record({
  accounts: fc.array(effectiveItem, { maxLength: 30 }),
  organizational_units: fc.array(effectiveItem, { maxLength: 5 }),
  attributes: mapping,
}).map((s) => ({
  accounts: Object.fromEntries(s.accounts.map((i) => [i.identifier, i])),
  organizational_units: Object.fromEntries(s.organizational_units.map((i) => [i.identifier, i])),
  attributes: s.attributes,
}));

const resolved: fc.Arbitrary<ResolvedVersion> = fc.oneof(
  fc.record({ kind: fc.constant('tag' as const), name: text, commit: text, annotated: fc.boolean() }),
  fc.record({ kind: fc.constant('branch' as const), name: text, commit: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 40, maxLength: 40 }) }),
  fc.record({ kind: fc.constant('commit' as const), commit: text, advertised: fc.boolean() }),
  fc.record({ kind: fc.constant('unknown' as const), name: text }),
  fc.record({ kind: fc.constant('unresolved' as const), name: text, reason: text }),
);

const snapshot: fc.Arbitrary<EnvironmentSnapshot> = fc.record(
  {
    effective,
    spaVersion: text,
    spaResolved: resolved,
    autoDeploy: fc.boolean(),
    frozen: fc.boolean(),
    allowFloatingVersion: fc.boolean(),
  },
  { requiredKeys: ['autoDeploy', 'frozen', 'allowFloatingVersion'] },
);

const diagnostic: fc.Arbitrary<Diagnostic> = fc.record(
  {
    file: text,
    line: fc.integer(),
    column: fc.integer(),
    severity: fc.constantFrom('error' as const, 'warning' as const),
    code: text,
    message: text,
    hint: text,
  },
  { requiredKeys: ['file', 'line', 'column', 'severity', 'code', 'message'] },
);

const environment: fc.Arbitrary<EnvironmentPlan> = fc.record(
  {
    name: text,
    path: text,
    valid: fc.boolean(),
    diagnostics: fc.array(diagnostic, { maxLength: 40 }),
    base: snapshot,
    head: snapshot,
  },
  { requiredKeys: ['name', 'path', 'valid', 'diagnostics'] },
);

const planArb: fc.Arbitrary<Plan> = fc.record(
  {
    base: fc.record({ ref: text, commit: text }),
    head: fc.record({ ref: text, commit: text }),
    environments: fc.array(environment, { maxLength: 8 }),
    unaffectedChanges: fc.array(text, { maxLength: 30 }),
    context: fc.record(
      { pullRequestId: text, title: text, revisionId: text, reviewedCommit: text, trunk: text, gating: fc.boolean() },
      { requiredKeys: ['pullRequestId', 'reviewedCommit', 'trunk'] },
    ),
  },
  { requiredKeys: ['base', 'head', 'environments'] },
);

describe('Function: renderPlanMarkdown (properties)', () => {
  it('never exceeds maxChars, never throws, and keeps its marker and line structure for any plan', () => {
    fc.assert(
      fc.property(planArb, fc.integer({ min: 1000, max: 30_000 }), (plan, maxChars) => {
        // Act
        const md = renderPlanMarkdown(plan, { maxChars });

        // Assess
        expect(md.length).toBeLessThanOrEqual(maxChars);
        expect(md.startsWith(`${SUMMARY_MARKER}\n`)).toBe(true);
        expect(md).not.toContain('could not render');
        expect(md).not.toMatch(/[\u202E\u2028]/);
        expect(unexpectedLines(md)).toEqual([]);
        expect(md.match(/^<details><summary>/gm)?.length ?? 0).toBe(md.match(/^<\/details>$/gm)?.length ?? 0);
      }),
      { numRuns: 150 },
    );
  });

  it('never exceeds a small cap either', () => {
    fc.assert(
      fc.property(planArb, fc.integer({ min: 0, max: 999 }), (plan, maxChars) => {
        // Act
        const md = renderPlanMarkdown(plan, { maxChars });

        // Assess
        expect(md.length).toBeLessThanOrEqual(maxChars);
      }),
      { numRuns: 50 },
    );
  });
});

describe('Function: renderPlanJson (properties)', () => {
  it('always gives an object JSON.stringify can write', () => {
    fc.assert(
      fc.property(planArb, (plan) => {
        // Act
        const json = JSON.stringify(renderPlanJson(plan));

        // Assess
        expect(typeof json).toBe('string');
      }),
      { numRuns: 50 },
    );
  });
});
