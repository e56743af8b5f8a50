import { automaticDeploymentId, deploymentIdFor, isAutomaticTrigger, requestedDeploymentId } from '../../../shared/domain/deployment/deployment-id';
import { InvalidOrderError, compareOrderKeys, normaliseTime, orderKeyOf } from '../../../shared/domain/deployment/deployment-order';

const commit = 'a'.repeat(40);
const other = 'b'.repeat(40);

describe('Module: deployment-id', () => {
  describe('Function: deploymentIdFor', () => {
    it('gives merge and reconcile of one environment and commit the same id, so a commit is attempted once automatically', () => {
      // Act
      const merge = deploymentIdFor({ environment: 'prod', settingsCommit: commit, trigger: 'merge' });
      const reconcile = deploymentIdFor({ environment: 'prod', settingsCommit: commit, trigger: 'reconcile' });

      // Assess
      expect(merge).toBe(reconcile);
      expect(merge).toBe(automaticDeploymentId('prod', commit));
      expect(merge).toMatch(/^prod-aaaaaaaaaaaa-[0-9a-f]{10}$/);
    });

    it('gives different ids to different environments, commits and requests', () => {
      const ids = new Set([
        automaticDeploymentId('prod', commit),
        automaticDeploymentId('dev', commit),
        automaticDeploymentId('prod', other),
        requestedDeploymentId('prod', commit, 'manual', 'r1'),
        requestedDeploymentId('prod', commit, 'manual', 'r2'),
        requestedDeploymentId('prod', commit, 'redeploy', 'r1'),
      ]);
      expect(ids.size).toBe(6);
    });

    it('gives the same id to the same request when it is retried', () => {
      expect(deploymentIdFor({ environment: 'prod', settingsCommit: commit, trigger: 'manual', requestId: 'r1' })).toBe(
        requestedDeploymentId('prod', commit, 'manual', 'r1'),
      );
    });

    it('refuses a requested deployment without request id', () => {
      expect(() => deploymentIdFor({ environment: 'prod', settingsCommit: commit, trigger: 'manual' })).toThrow('request id');
    });

    it('keeps ids short and shell-safe whatever the environment name', () => {
      // Prepare
      const names = ['Prod EU/1', 'x'.repeat(200), '$(rm -rf /)', '##', 'é'];

      // Act
      const ids = names.flatMap((name) => [automaticDeploymentId(name, commit), requestedDeploymentId(name, commit, 'redeploy', 'uuid')]);

      // Assess
      for (const id of ids) expect(id).toMatch(/^[a-z0-9-]{1,64}$/);
      expect(automaticDeploymentId('a b', commit)).not.toBe(automaticDeploymentId('a-b', commit));
    });
  });

  describe('Function: isAutomaticTrigger', () => {
    it('calls merge and reconcile automatic, manual and redeploy requested', () => {
      expect(['merge', 'reconcile', 'manual', 'redeploy'].map((t) => isAutomaticTrigger(t as 'merge'))).toEqual([true, true, false, false]);
    });
  });
});

describe('Module: deployment-order', () => {
  describe('Function: orderKeyOf', () => {
    it('sorts by time, then sequence, then id', () => {
      // Prepare
      const keys = [
        orderKeyOf({ time: '2024-05-01T10:00:01Z', sequence: 0 }, 'a'),
        orderKeyOf({ time: '2024-05-01T10:00:00Z', sequence: 9 }, 'z'),
        orderKeyOf({ time: '2024-05-01T10:00:00Z', sequence: 10 }, 'a'),
        orderKeyOf({ time: '2024-05-01T10:00:00Z', sequence: 10 }, 'b'),
      ];

      // Act
      const sorted = [...keys].sort(compareOrderKeys);

      // Assess
      expect(sorted).toEqual([keys[1], keys[2], keys[3], keys[0]]);
    });

    it('normalises offsets to UTC milliseconds', () => {
      expect(orderKeyOf({ time: '2024-05-01T12:00:00+02:00' }, 'x')).toBe('2024-05-01T10:00:00.000Z#000000000000000#x');
    });

    it('refuses a time without offset, a non-time and a bad sequence', () => {
      expect(() => orderKeyOf({ time: '2024-05-01T10:00:00' }, 'x')).toThrow(InvalidOrderError);
      expect(() => orderKeyOf({ time: 'yesterday' }, 'x')).toThrow(InvalidOrderError);
      expect(() => orderKeyOf({ time: '2024-05-01T10:00:00Z', sequence: -1 }, 'x')).toThrow(InvalidOrderError);
      expect(() => orderKeyOf({ time: '2024-05-01T10:00:00Z', sequence: 1.5 }, 'x')).toThrow(InvalidOrderError);
    });
  });

  describe('Function: normaliseTime', () => {
    it('accepts EventBridge times and rejects impossible dates', () => {
      expect(normaliseTime('2024-05-01T10:00:00Z')).toBe('2024-05-01T10:00:00.000Z');
      expect(normaliseTime('2024-13-01T10:00:00Z')).toBeUndefined();
    });
  });
});
