/**
 * The per-environment queue rules, as pure decisions over the environment's lease.
 *
 * An environment holds at most one running deployment (STARTING or IN_PROGRESS) and at most one queued deployment.
 * Latest wins: a newer deployment replaces the queued one (which becomes SUPERSEDED), and a deployment older than the
 * one running or last started never runs (it would roll the environment back). The store applies a decision with a
 * conditional write that re-checks its premises, and decides again when the write is refused.
 */
import { compareOrderKeys } from './deployment-order';

export interface LeaseSlot {
  readonly id: string;
  readonly orderKey: string;
}

export interface EnvironmentLease {
  /** The deployment holding the environment. */
  readonly running?: LeaseSlot;
  /** The one deployment waiting for it. */
  readonly queued?: LeaseSlot;
  /** The newest deployment that ever took the environment (high-water mark, kept after release). */
  readonly lastStarted?: LeaseSlot;
}

export type QueueDecision =
  /** Take the environment: the candidate starts now. */
  | { readonly kind: 'claim' }
  /** Wait behind the running deployment; `replaces` is the older queued deployment it supersedes. */
  | { readonly kind: 'queue'; readonly replaces?: string }
  /** A newer deployment is queued, running or already started: the candidate never runs. */
  | { readonly kind: 'supersede'; readonly by: string };

export function decideQueueAction(lease: EnvironmentLease, candidate: LeaseSlot): QueueDecision {
  const { running, queued, lastStarted } = lease;
  if (running?.id === candidate.id) return { kind: 'claim' };
  if (running === undefined) {
    if (lastStarted !== undefined && lastStarted.id !== candidate.id && compareOrderKeys(lastStarted.orderKey, candidate.orderKey) >= 0) {
      return { kind: 'supersede', by: lastStarted.id };
    }
    return { kind: 'claim' };
  }
  if (compareOrderKeys(running.orderKey, candidate.orderKey) >= 0) return { kind: 'supersede', by: running.id };
  if (queued === undefined) return { kind: 'queue' };
  if (queued.id === candidate.id) return { kind: 'queue' };
  if (compareOrderKeys(queued.orderKey, candidate.orderKey) > 0) return { kind: 'supersede', by: queued.id };
  return { kind: 'queue', replaces: queued.id };
}

export type ReleaseDecision =
  /** The finished deployment no longer holds the environment (released already, or never held it). */
  | { readonly kind: 'not-holder' }
  /** Free the environment: nothing waits. */
  | { readonly kind: 'free' }
  /** Hand the environment to the queued deployment. */
  | { readonly kind: 'promote'; readonly next: LeaseSlot };

export function decideRelease(lease: EnvironmentLease, finishedId: string): ReleaseDecision {
  if (lease.running?.id !== finishedId) return { kind: 'not-holder' };
  return lease.queued === undefined ? { kind: 'free' } : { kind: 'promote', next: lease.queued };
}

/** The reason recorded on a SUPERSEDED deployment. */
export function supersededReason(byId: string): string {
  return `superseded by ${byId}`;
}
