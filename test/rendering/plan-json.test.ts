import { planEnvironment } from '../../shared/domain/plan/plan';
import { YamlBinary, YamlTimestamp } from '../../shared/domain/settings/settings-value';
import { renderPlanJson, toJsonSafe } from '../../shared/rendering/plan-json';
import { diagnostic, item, plan, settings, snapshot, SPA_NEW, SPA_OLD } from '../domain/plan/plan-fixtures';

describe('Function: renderPlanJson', () => {
  it('gives validity, versions, diff and what a merge will deploy per environment', () => {
    // Prepare
    const env = planEnvironment({
      name: 'prod',
      path: 'environments/prod',
      diagnostics: [diagnostic({ severity: 'warning' })],
      base: snapshot(settings([item('111111111111')])),
      head: snapshot(settings([item('111111111111', { tags: { owner: 'bob' } })]), {
        spaVersion: 'v2.0.0',
        spaResolved: { kind: 'tag', name: 'v2.0.0', commit: SPA_NEW, annotated: true },
      }),
    });

    // Act
    const json = JSON.parse(JSON.stringify(renderPlanJson(plan({ environments: [env], unaffectedChanges: ['README.md'] }))));

    // Assess
    expect(json.valid).toBe(true);
    expect(json.summary).toEqual({ environments: 1, invalid: 0, errors: 0, warnings: 1 });
    expect(json.unaffectedChanges).toEqual(['README.md']);
    const [prod] = json.environments;
    expect(prod).toMatchObject({ name: 'prod', path: 'environments/prod', valid: true, change: 'changed', errors: 0, warnings: 1 });
    expect(prod.diagnostics).toHaveLength(1);
    expect(prod.spaVersion).toMatchObject({ before: 'v1.0.0', after: 'v2.0.0', resolvedCommit: SPA_NEW, beforeResolvedCommit: SPA_OLD, pinChanged: true });
    expect(prod.diff.blastRadius).toEqual({ accounts: 1, organizationalUnits: 0 });
    expect(prod.diff.accounts.changed[0].tags.added).toEqual([{ key: 'owner', value: 'bob' }]);
    expect(prod.mergeWillDeploy).toEqual({ kind: 'deploy', environment: 'prod', spaVersion: 'v2.0.0', spaCommit: SPA_NEW, resolution: 'tag' });
  });

  it('is invalid when one environment is, and has no diff when the new settings could not be loaded', () => {
    // Prepare
    const env = planEnvironment({ name: 'dev', path: 'environments/dev', diagnostics: [diagnostic()], base: snapshot(settings()), head: snapshot(undefined) });

    // Act
    const json = JSON.parse(JSON.stringify(renderPlanJson(plan({ environments: [env] }))));

    // Assess
    expect(json.valid).toBe(false);
    expect(json.environments[0].diff).toBeNull();
    expect(json.environments[0].mergeWillDeploy).toEqual({ kind: 'rejected', environment: 'dev', errors: 1 });
  });
});

describe('Function: toJsonSafe', () => {
  it('writes what JSON cannot hold the way YAML shows it', () => {
    // Act
    const out = toJsonSafe({ big: 2n ** 64n, small: 5n, nan: Number.NaN, inf: -Infinity, date: new YamlTimestamp('2024-01-31', false), bin: new YamlBinary('aGk='), gone: undefined });

    // Assess
    expect(out).toEqual({ big: '18446744073709551616', small: 5, nan: '.nan', inf: '-.inf', date: '2024-01-31', bin: 'aGk=' });
  });

  it('keeps a key named __proto__ as data', () => {
    // Act
    const out = toJsonSafe(JSON.parse('{"__proto__": {"polluted": true}}'));

    // Assess
    expect(JSON.stringify(out)).toBe('{"__proto__":{"polluted":true}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('ends on cyclic values', () => {
    // Prepare
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);

    // Act & assess
    expect(() => JSON.stringify(toJsonSafe(cyclic))).not.toThrow();
  });
});
