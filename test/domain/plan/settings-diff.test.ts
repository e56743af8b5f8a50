import { diffSettings, isEmptyDiff } from '../../../shared/domain/plan/settings-diff';
import type { EffectiveItem } from '../../../shared/domain/settings/effective-settings';
import { item, settings } from './plan-fixtures';

const A1 = '111111111111';
const A2 = '222222222222';
const A3 = '333333333333';

describe('Function: diffSettings', () => {
  it('returns an empty diff for identical settings written in another key order', () => {
    // Prepare
    const before = settings([item(A1, { tags: { owner: 'a', team: 'b' } })], [item('ou-1')], { automation_region: 'eu-west-1' });
    const after = settings([item(A1, { tags: { team: 'b', owner: 'a' } })], [item('ou-1')], { automation_region: 'eu-west-1' });

    // Act
    const diff = diffSettings(before, after);

    // Assess
    expect(isEmptyDiff(diff)).toBe(true);
    expect(diff.blastRadius).toEqual({ accounts: 0, organizationalUnits: 0 });
  });

  it('lists added and removed accounts and organizational units, sorted by identifier', () => {
    // Prepare
    const before = settings([item(A3), item(A1)], [item('ou-b')]);
    const after = settings([item(A2), item(A1), item('000000000009')], [item('ou-a')]);

    // Act
    const diff = diffSettings(before, after);

    // Assess
    expect(diff.accounts.added.map((i) => i.identifier)).toEqual(['000000000009', A2]);
    expect(diff.accounts.removed.map((i) => i.identifier)).toEqual([A3]);
    expect(diff.accounts.changed).toEqual([]);
    expect(diff.organizationalUnits.added.map((i) => i.identifier)).toEqual(['ou-a']);
    expect(diff.organizationalUnits.removed.map((i) => i.identifier)).toEqual(['ou-b']);
    expect(diff.blastRadius).toEqual({ accounts: 3, organizationalUnits: 2 });
  });

  it('tells which tags were added, removed and changed, with old and new values', () => {
    // Prepare
    const before = settings([item(A1, { tags: { owner: 'alice', gone: 'x', same: 's' } })]);
    const after = settings([item(A1, { tags: { owner: 'bob', fresh: 'y', same: 's' } })]);

    // Act
    const diff = diffSettings(before, after);

    // Assess
    const [change] = diff.accounts.changed;
    expect(change?.identifier).toBe(A1);
    expect(change?.tags).toEqual({
      added: [{ key: 'fresh', value: 'y' }],
      removed: [{ key: 'gone', value: 'x' }],
      changed: [{ key: 'owner', before: 'alice', after: 'bob' }],
    });
  });

  it('tells which preparation and purge variables changed', () => {
    // Prepare
    const before = settings([item(A1, { preparationVariables: { budget: 500, keep: 1 }, purgeVariables: { max: 'x' } })]);
    const after = settings([item(A1, { preparationVariables: { budget: 800, keep: 1, extra: true }, purgeVariables: {} })]);

    // Act
    const diff = diffSettings(before, after);

    // Assess
    const change = diff.accounts.changed[0];
    expect(change?.preparation.variables).toEqual({
      added: [{ key: 'extra', value: true }],
      removed: [],
      changed: [{ key: 'budget', before: 500, after: 800 }],
    });
    expect(change?.purge.variables.removed).toEqual([{ key: 'max', value: 'x' }]);
    expect(change?.preparation.feature).toBeUndefined();
  });

  it('reports a feature switched from disabled to enabled and back', () => {
    // Prepare
    const before = settings([item(A1, { preparation: 'disabled', purge: 'enabled' })]);
    const after = settings([item(A1, { preparation: 'enabled', purge: 'disabled' })]);

    // Act
    const diff = diffSettings(before, after);

    // Assess
    const change = diff.accounts.changed[0];
    expect(change?.preparation.feature).toEqual({ before: 'disabled', after: 'enabled' });
    expect(change?.purge.feature).toEqual({ before: 'enabled', after: 'disabled' });
  });

  it('reports a note added, changed and removed', () => {
    // Prepare
    const before = settings([item(A1), item(A2, { note: 'old' }), item(A3, { note: 'bye' })]);
    const after = settings([item(A1, { note: 'hello' }), item(A2, { note: 'new' }), item(A3)]);

    // Act
    const diff = diffSettings(before, after);

    // Assess
    expect(diff.accounts.changed.map((c) => [c.identifier, c.note])).toEqual([
      [A1, { after: 'hello' }],
      [A2, { before: 'old', after: 'new' }],
      [A3, { before: 'bye' }],
    ]);
  });

  it('reports an unset_tags change', () => {
    // Prepare
    const before = settings([item(A1, { unsetTags: ['a'] })]);
    const after = settings([item(A1, { unsetTags: ['a', 'b'] })]);

    // Act
    const diff = diffSettings(before, after);

    // Assess
    expect(diff.accounts.changed[0]?.unsetTags).toEqual({ before: ['a'], after: ['a', 'b'] });
  });

  it('reports a value whose type alone changed (1 to "1")', () => {
    // Prepare
    const before = settings([item(A1, { tags: { n: 1 }, preparationVariables: { flag: true } })], [], { metering_shadows_ttl_in_seconds: 1 });
    const after = settings([item(A1, { tags: { n: '1' }, preparationVariables: { flag: 'true' } })], [], { metering_shadows_ttl_in_seconds: '1' });

    // Act
    const diff = diffSettings(before, after);

    // Assess
    const change = diff.accounts.changed[0];
    expect(change?.tags.changed).toEqual([{ key: 'n', before: 1, after: '1' }]);
    expect(change?.preparation.variables.changed).toEqual([{ key: 'flag', before: true, after: 'true' }]);
    expect(diff.attributes).toEqual([{ kind: 'changed', path: ['metering_shadows_ttl_in_seconds'], before: 1, after: '1' }]);
  });

  it('reports attribute changes key by key inside mappings such as defaults', () => {
    // Prepare
    const before = settings([], [], { automation_region: 'eu-west-1', defaults: { account_tags: { owner: 'a', x: 1 } }, gone: 'g' });
    const after = settings([], [], { automation_region: 'eu-west-3', defaults: { account_tags: { owner: 'b', y: 2 } }, features_with_csv_files: ['a.csv'] });

    // Act
    const diff = diffSettings(before, after);

    // Assess
    expect(diff.attributes).toEqual([
      { kind: 'changed', path: ['automation_region'], before: 'eu-west-1', after: 'eu-west-3' },
      { kind: 'changed', path: ['defaults', 'account_tags', 'owner'], before: 'a', after: 'b' },
      { kind: 'removed', path: ['defaults', 'account_tags', 'x'], before: 1 },
      { kind: 'added', path: ['defaults', 'account_tags', 'y'], after: 2 },
      { kind: 'added', path: ['features_with_csv_files'], after: ['a.csv'] },
      { kind: 'removed', path: ['gone'], before: 'g' },
    ]);
  });

  it('counts every inheriting item in the blast radius of a defaults change', () => {
    // Prepare: the new default tag is already folded into every effective item
    const ids = [A1, A2, A3];
    const before = settings(ids.map((id) => item(id, { tags: { owner: 'a' } })), [item('ou-1', { tags: { owner: 'a' } })], {
      defaults: { account_tags: { owner: 'a' } },
    });
    const after = settings(ids.map((id) => item(id, { tags: { owner: 'b' } })), [item('ou-1', { tags: { owner: 'b' } })], {
      defaults: { account_tags: { owner: 'b' } },
    });

    // Act
    const diff = diffSettings(before, after);

    // Assess
    expect(diff.blastRadius).toEqual({ accounts: 3, organizationalUnits: 1 });
    expect(diff.attributes.map((c) => c.path.join('.'))).toEqual(['defaults.account_tags.owner']);
  });

  it('treats a new environment as everything added', () => {
    // Prepare
    const after = settings([item(A1)], [item('ou-1')], { automation_region: 'eu-west-1' });

    // Act
    const diff = diffSettings(undefined, after);

    // Assess
    expect(diff.accounts.added.map((i) => i.identifier)).toEqual([A1]);
    expect(diff.organizationalUnits.added.map((i) => i.identifier)).toEqual(['ou-1']);
    expect(diff.attributes).toEqual([{ kind: 'added', path: ['automation_region'], after: 'eu-west-1' }]);
  });

  it('treats a removed environment as everything removed', () => {
    // Prepare
    const before = settings([item(A1), item(A2)]);

    // Act
    const diff = diffSettings(before, undefined);

    // Assess
    expect(diff.accounts.removed.map((i) => i.identifier)).toEqual([A1, A2]);
    expect(diff.blastRadius).toEqual({ accounts: 2, organizationalUnits: 0 });
  });

  it('reports an item part that is not a mapping as a whole-value change instead of failing', () => {
    // Prepare
    const weird = { ...item(A1), account_tags: 'not-a-mapping', extra: 1 } as unknown as EffectiveItem;
    const before = settings([item(A1, { tags: { a: 'b' } })]);
    const after = settings([weird]);

    // Act
    const diff = diffSettings(before, after);

    // Assess
    const change = diff.accounts.changed[0];
    expect(change?.other.changed).toEqual([{ key: 'account_tags', before: { a: 'b' }, after: 'not-a-mapping' }]);
    expect(change?.other.added).toEqual([{ key: 'extra', value: 1 }]);
  });

  it('handles identifiers and keys named like Object.prototype members', () => {
    // Prepare
    const before = settings([], [], JSON.parse('{"__proto__": {"a": 1}, "constructor": 1}'));
    const after = settings([], [], JSON.parse('{"__proto__": {"a": 2}}'));

    // Act
    const diff = diffSettings(before, after);

    // Assess
    expect(diff.attributes).toEqual([
      { kind: 'changed', path: ['__proto__', 'a'], before: 1, after: 2 },
      { kind: 'removed', path: ['constructor'], before: 1 },
    ]);
  });
});
