import { mergeWillDeploy } from '../../../shared/domain/plan/merge-outcome';
import { planEnvironment } from '../../../shared/domain/plan/plan';
import { diffVersion } from '../../../shared/domain/plan/version-diff';
import { diagnostic, item, settings, snapshot, SPA_NEW, SPA_OLD } from './plan-fixtures';

describe('Function: diffVersion', () => {
  it('reports the SPA version change old to new with both resolved commits', () => {
    // Prepare
    const base = snapshot(settings());
    const head = snapshot(settings(), { spaVersion: 'v2.0.0', spaResolved: { kind: 'tag', name: 'v2.0.0', commit: SPA_NEW, annotated: false } });

    // Act
    const diff = diffVersion(base, head);

    // Assess
    expect(diff.before).toMatchObject({ pin: 'v1.0.0', commit: SPA_OLD });
    expect(diff.after).toMatchObject({ pin: 'v2.0.0', commit: SPA_NEW });
    expect(diff.pinChanged).toBe(true);
    expect(diff.commitChanged).toBe(true);
    expect(diff.flags).toEqual([]);
  });

  it('notices a tag that now points at another commit', () => {
    // Prepare
    const base = snapshot(settings());
    const head = snapshot(settings(), { spaResolved: { kind: 'tag', name: 'v1.0.0', commit: SPA_NEW, annotated: true } });

    // Act
    const diff = diffVersion(base, head);

    // Assess
    expect(diff.pinChanged).toBe(false);
    expect(diff.commitChanged).toBe(true);
  });

  it('takes a full commit pin as its own commit when the server was not asked', () => {
    // Prepare
    const head = snapshot(settings(), { spaVersion: SPA_NEW.toUpperCase(), spaResolved: undefined });

    // Act
    const diff = diffVersion(undefined, head);

    // Assess
    expect(diff.before).toBeUndefined();
    expect(diff.after?.commit).toBe(SPA_NEW);
  });

  it('lists manifest flag changes', () => {
    // Prepare
    const base = snapshot(settings());
    const head = snapshot(settings(), { autoDeploy: false, frozen: true, allowFloatingVersion: true });

    // Act
    const diff = diffVersion(base, head);

    // Assess
    expect(diff.flags).toEqual([
      { flag: 'auto_deploy', before: true, after: false },
      { flag: 'frozen', before: false, after: true },
      { flag: 'allow_floating_version', before: false, after: true },
    ]);
  });
});

describe('Function: mergeWillDeploy', () => {
  const base = snapshot(settings([item('111111111111')]));

  it('deploys a valid environment with its SPA version and commit', () => {
    // Prepare
    const env = planEnvironment({ name: 'prod', path: 'environments/prod', diagnostics: [], base, head: snapshot(settings()) });

    // Act
    const outcome = mergeWillDeploy(env);

    // Assess
    expect(outcome).toEqual({ kind: 'deploy', environment: 'prod', spaVersion: 'v1.0.0', spaCommit: SPA_OLD, resolution: 'tag' });
  });

  it('records PENDING when auto_deploy is false', () => {
    // Prepare
    const env = planEnvironment({ name: 'prod', path: 'environments/prod', diagnostics: [], base, head: snapshot(settings(), { autoDeploy: false }) });

    // Act & assess
    expect(mergeWillDeploy(env)).toMatchObject({ kind: 'pending', spaVersion: 'v1.0.0' });
  });

  it('blocks a frozen environment', () => {
    // Prepare
    const env = planEnvironment({ name: 'prod', path: 'environments/prod', diagnostics: [], base, head: snapshot(settings(), { frozen: true }) });

    // Act & assess
    expect(mergeWillDeploy(env)).toEqual({ kind: 'frozen', environment: 'prod' });
  });

  it('rejects invalid settings before looking at the manifest', () => {
    // Prepare
    const env = planEnvironment({
      name: 'prod',
      path: 'environments/prod',
      diagnostics: [diagnostic(), diagnostic({ severity: 'warning' }), diagnostic()],
      base,
      head: snapshot(undefined, { frozen: true }),
    });

    // Act & assess
    expect(env.valid).toBe(false);
    expect(mergeWillDeploy(env)).toEqual({ kind: 'rejected', environment: 'prod', errors: 2 });
  });

  it('has nothing to deploy for a removed environment', () => {
    // Prepare
    const env = planEnvironment({ name: 'old', path: 'environments/old', diagnostics: [], base });

    // Act & assess
    expect(mergeWillDeploy(env)).toEqual({ kind: 'removed', environment: 'old' });
    expect(env.diff?.accounts.removed).toHaveLength(1);
  });
});

describe('Function: planEnvironment', () => {
  it('leaves the diff out when the head settings could not be computed', () => {
    // Prepare & act
    const env = planEnvironment({ name: 'prod', path: 'environments/prod', diagnostics: [diagnostic()], base: snapshot(settings()), head: snapshot(undefined) });

    // Assess
    expect(env.diff).toBeUndefined();
    expect(env.valid).toBe(false);
  });

  it('compares a new environment with nothing', () => {
    // Prepare & act
    const env = planEnvironment({ name: 'dev', path: 'environments/dev', diagnostics: [], head: snapshot(settings([item('111111111111')])) });

    // Assess
    expect(env.valid).toBe(true);
    expect(env.diff?.blastRadius).toEqual({ accounts: 1, organizationalUnits: 0 });
  });
});
