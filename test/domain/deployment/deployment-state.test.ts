import { DEPLOYMENT_STATUSES, TERMINAL_STATUSES, type DeploymentStatus } from '../../../shared/domain/deployment/deployment';
import {
  BUILD_STATUSES,
  INITIAL_STATUSES,
  allowedPredecessors,
  canTransition,
  isRunning,
  isTerminal,
  nextStatusForBuild,
  statusForBuild,
  statusRank,
} from '../../../shared/domain/deployment/deployment-state';

/** The allowed edges, written out independently of the implementation. Every other pair is refused. */
const ALLOWED: ReadonlyArray<readonly [DeploymentStatus, DeploymentStatus]> = [
  ['PENDING', 'REJECTED'],
  ['PENDING', 'SUPERSEDED'],
  ['QUEUED', 'STARTING'],
  ['QUEUED', 'REJECTED'],
  ['QUEUED', 'SUPERSEDED'],
  ['STARTING', 'IN_PROGRESS'],
  ['STARTING', 'SUCCEEDED'],
  ['STARTING', 'FAILED'],
  ['STARTING', 'FAULT'],
  ['STARTING', 'TIMED_OUT'],
  ['STARTING', 'STOPPED'],
  ['STARTING', 'FAILED_TO_START'],
  ['IN_PROGRESS', 'SUCCEEDED'],
  ['IN_PROGRESS', 'FAILED'],
  ['IN_PROGRESS', 'FAULT'],
  ['IN_PROGRESS', 'TIMED_OUT'],
  ['IN_PROGRESS', 'STOPPED'],
];
const allowed = new Set(ALLOWED.map(([from, to]) => `${from}->${to}`));
const pairs = DEPLOYMENT_STATUSES.flatMap((from) => DEPLOYMENT_STATUSES.map((to) => [from, to] as const));

describe('Module: deployment-state', () => {
  describe('Function: statusRank', () => {
    it('ranks waiting statuses 0, STARTING 1, IN_PROGRESS 2 and every terminal status 3', () => {
      // Prepare
      const expected: Record<DeploymentStatus, number> = {
        PENDING: 0, QUEUED: 0, STARTING: 1, IN_PROGRESS: 2, SUCCEEDED: 3, FAILED: 3, FAULT: 3, TIMED_OUT: 3, STOPPED: 3,
        REJECTED: 3, SUPERSEDED: 3, FAILED_TO_START: 3,
      };

      // Act
      const ranks = Object.fromEntries(DEPLOYMENT_STATUSES.map((s) => [s, statusRank(s)]));

      // Assess
      expect(ranks).toEqual(expected);
    });

    it('gives rank 3 exactly to the terminal statuses', () => {
      for (const status of DEPLOYMENT_STATUSES) expect(statusRank(status) === 3).toBe(TERMINAL_STATUSES.has(status));
    });
  });

  describe('Function: canTransition', () => {
    it.each(pairs)('%s -> %s is allowed only when it is an edge of the state machine', (from, to) => {
      // Act
      const result = canTransition(from, to);

      // Assess
      expect(result).toBe(allowed.has(`${from}->${to}`));
    });

    it('never allows a move to the same or a lower rank', () => {
      for (const [from, to] of pairs) {
        if (statusRank(to) <= statusRank(from)) expect(canTransition(from, to)).toBe(false);
      }
    });

    it('never allows a move out of a terminal status', () => {
      for (const [from, to] of pairs) if (isTerminal(from)) expect(canTransition(from, to)).toBe(false);
    });

    it('never allows a move into a status a deployment is only created with', () => {
      for (const from of DEPLOYMENT_STATUSES) {
        expect(canTransition(from, 'PENDING')).toBe(false);
        expect(canTransition(from, 'QUEUED')).toBe(false);
      }
    });

    it('lets every terminal status be reached from some status, and every initial status lead somewhere', () => {
      for (const status of TERMINAL_STATUSES) expect(allowedPredecessors(status).length).toBeGreaterThan(0);
      for (const status of INITIAL_STATUSES) if (status !== 'REJECTED') expect(DEPLOYMENT_STATUSES.some((to) => canTransition(status, to))).toBe(true);
    });
  });

  describe('Function: allowedPredecessors', () => {
    it('lists exactly the statuses from which a status may be reached', () => {
      for (const to of DEPLOYMENT_STATUSES) {
        expect(allowedPredecessors(to)).toEqual(ALLOWED.filter(([, t]) => t === to).map(([from]) => from));
      }
    });
  });

  describe('Function: isRunning / isTerminal', () => {
    it('holds the environment in STARTING and IN_PROGRESS only', () => {
      expect(DEPLOYMENT_STATUSES.filter(isRunning)).toEqual(['STARTING', 'IN_PROGRESS']);
    });

    it('calls the four build results, REJECTED, SUPERSEDED and FAILED_TO_START terminal', () => {
      expect(DEPLOYMENT_STATUSES.filter(isTerminal)).toEqual(['SUCCEEDED', 'FAILED', 'FAULT', 'TIMED_OUT', 'STOPPED', 'REJECTED', 'SUPERSEDED', 'FAILED_TO_START']);
    });
  });

  describe('Function: statusForBuild', () => {
    it('maps every build status to the deployment status of the same name', () => {
      for (const build of BUILD_STATUSES) expect(statusForBuild(build)).toBe(build);
    });
  });

  describe('Function: nextStatusForBuild', () => {
    const cases = DEPLOYMENT_STATUSES.flatMap((current) => BUILD_STATUSES.map((build) => [current, build] as const));

    it.each(cases)('from %s a build %s event gives the build status only when the state machine allows it', (current, build) => {
      // Act
      const next = nextStatusForBuild(current, build);

      // Assess
      expect(next).toBe(allowed.has(`${current}->${build}`) ? build : undefined);
    });

    it('ignores a late IN_PROGRESS after SUCCEEDED and a second terminal result', () => {
      expect(nextStatusForBuild('SUCCEEDED', 'IN_PROGRESS')).toBeUndefined();
      expect(nextStatusForBuild('FAILED', 'SUCCEEDED')).toBeUndefined();
      expect(nextStatusForBuild('IN_PROGRESS', 'IN_PROGRESS')).toBeUndefined();
    });

    it('accepts a terminal result that arrives before IN_PROGRESS', () => {
      expect(nextStatusForBuild('STARTING', 'SUCCEEDED')).toBe('SUCCEEDED');
    });
  });
});
