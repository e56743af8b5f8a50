import type { ResolvedVersion } from '../../ports/version-resolver';
import { hasErrors, type Diagnostic } from '../settings/diagnostics';
import type { EffectiveSettings } from '../settings/effective-settings';
import { diffSettings, type SettingsDiff } from './settings-diff';


/** One side (base or head) of an environment: what spa-cd computed from its folder at one commit. */
export interface EnvironmentSnapshot {
  /** The effective settings; absent when they could not be computed (invalid settings). */
  effective?: EffectiveSettings;
  /** The SPA version pin as written (`v1.2.3`, a 40-hex commit, or a branch with allow_floating_version). */
  spaVersion?: string;
  /** What the pin resolved to on the code repository, when it was asked. */
  spaResolved?: ResolvedVersion;
  autoDeploy: boolean;
  frozen: boolean;
  allowFloatingVersion: boolean;
}

/** One affected environment of a plan. */
export interface EnvironmentPlan {
  /** The environment name (its folder name under `environments/`). */
  name: string;
  /** The environment folder (`environments/prod`). */
  path: string;
  /** False when the head has an error (the merge would be REJECTED). */
  valid: boolean;
  /** Findings at the head commit. */
  diagnostics: Diagnostic[];
  /** Absent: a new environment. */
  base?: EnvironmentSnapshot;
  /** Absent: the environment is removed. */
  head?: EnvironmentSnapshot;
  /** Absent when a side that exists has no effective settings (nothing to compare). */
  diff?: SettingsDiff;
}

export interface PullRequestContext {
  pullRequestId: string;
  title?: string;
  revisionId?: string;
  /** The source commit this review is about. */
  reviewedCommit: string;
  /** The destination branch. */
  trunk: string;
  /** True when the controller approves or revokes the pull request on this review. */
  gating?: boolean;
}

/** The pull request review (or `spa-cd plan`) of a change from base to head. */
export interface Plan {
  base: { ref: string; commit: string };
  head: { ref: string; commit: string };
  environments: EnvironmentPlan[];
  /** Changed paths outside `environments/`: they deploy nothing. */
  unaffectedChanges?: string[];
  context?: PullRequestContext;
}

/**
 * Builds one environment's plan: valid when there is no error, and the settings diff when every side that
 * exists has effective settings (a missing side counts as "no settings": a new or removed environment).
 */
export function planEnvironment(input: {
  name: string;
  path: string;
  diagnostics: Diagnostic[];
  base?: EnvironmentSnapshot;
  head?: EnvironmentSnapshot;
}): EnvironmentPlan {
  const diff = computeDiff(input.base, input.head);
  return {
    name: input.name,
    path: input.path,
    valid: !hasErrors(input.diagnostics),
    diagnostics: input.diagnostics,
    ...(input.base ? { base: input.base } : {}),
    ...(input.head ? { head: input.head } : {}),
    ...(diff ? { diff } : {}),
  };
}

/** The environment's diff: the one it carries, else computed from its snapshots when they allow it. */
export function environmentDiff(env: EnvironmentPlan): SettingsDiff | undefined {
  return env.diff ?? computeDiff(env.base, env.head);
}

/** A plan is valid when all its environments are. */
export function isPlanValid(plan: Plan): boolean {
  return plan.environments.every((env) => env.valid);
}

function computeDiff(base: EnvironmentSnapshot | undefined, head: EnvironmentSnapshot | undefined): SettingsDiff | undefined {
  if (base === undefined && head === undefined) return undefined;
  if (base !== undefined && base.effective === undefined) return undefined;
  if (head !== undefined && head.effective === undefined) return undefined;
  return diffSettings(base?.effective, head?.effective);
}
