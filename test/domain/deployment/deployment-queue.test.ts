import { decideQueueAction, decideRelease, supersededReason, type EnvironmentLease } from '../../../shared/domain/deployment/deployment-queue';

const slot = (id: string, t: string) => ({ id, orderKey: `2024-05-01T10:00:${t}.000Z#000000000000000#${id}` });
const old = slot('old', '00');
const mid = slot('mid', '10');
const cand = slot('cand', '20');
const newer = slot('newer', '30');

describe('Module: deployment-queue', () => {
  describe('Function: decideQueueAction', () => {
    it('claims a free environment where nothing ever started', () => {
      expect(decideQueueAction({}, cand)).toEqual({ kind: 'claim' });
    });

    it('claims a free environment whose last started deployment is older', () => {
      expect(decideQueueAction({ lastStarted: old }, cand)).toEqual({ kind: 'claim' });
    });

    it('claims again when the candidate already holds the environment (duplicate call)', () => {
      expect(decideQueueAction({ running: cand, lastStarted: cand }, cand)).toEqual({ kind: 'claim' });
    });

    it('supersedes a candidate older than the last deployment that started, even when the environment is free', () => {
      expect(decideQueueAction({ lastStarted: newer }, cand)).toEqual({ kind: 'supersede', by: 'newer' });
    });

    it('queues behind an older running deployment when nothing waits', () => {
      expect(decideQueueAction({ running: old, lastStarted: old }, cand)).toEqual({ kind: 'queue' });
    });

    it('replaces an older queued deployment', () => {
      expect(decideQueueAction({ running: old, queued: mid, lastStarted: old }, cand)).toEqual({ kind: 'queue', replaces: 'mid' });
    });

    it('keeps its place when it is already the queued one', () => {
      expect(decideQueueAction({ running: old, queued: cand, lastStarted: old }, cand)).toEqual({ kind: 'queue' });
    });

    it('is superseded by a newer queued deployment', () => {
      expect(decideQueueAction({ running: old, queued: newer, lastStarted: old }, cand)).toEqual({ kind: 'supersede', by: 'newer' });
    });

    it('is superseded by a newer running deployment, so an older commit never rolls the environment back', () => {
      expect(decideQueueAction({ running: newer, lastStarted: newer }, cand)).toEqual({ kind: 'supersede', by: 'newer' });
    });

    it('decides the same way whatever the order two merges arrive in', () => {
      // Prepare
      const lease: EnvironmentLease = { running: old, lastStarted: old };

      // Act: mid then cand, and cand then mid
      const midFirst = decideQueueAction({ ...lease, queued: mid }, cand);
      const candFirst = decideQueueAction({ ...lease, queued: cand }, mid);

      // Assess: cand (newer) waits in both cases
      expect(midFirst).toEqual({ kind: 'queue', replaces: 'mid' });
      expect(candFirst).toEqual({ kind: 'supersede', by: 'cand' });
    });
  });

  describe('Function: decideRelease', () => {
    it('frees the environment when nothing waits', () => {
      expect(decideRelease({ running: old }, 'old')).toEqual({ kind: 'free' });
    });

    it('hands the environment to the queued deployment', () => {
      expect(decideRelease({ running: old, queued: cand }, 'old')).toEqual({ kind: 'promote', next: cand });
    });

    it('does nothing for a deployment that does not hold the environment', () => {
      expect(decideRelease({ running: cand }, 'old')).toEqual({ kind: 'not-holder' });
      expect(decideRelease({}, 'old')).toEqual({ kind: 'not-holder' });
    });
  });

  describe('Function: supersededReason', () => {
    it('names the deployment that won', () => {
      expect(supersededReason('prod-abc')).toBe('superseded by prod-abc');
    });
  });
});
