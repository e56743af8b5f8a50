/**
 * Use case: the plan of a change from base to head (`spa-cd plan`, the pull request review): the affected
 * environments, each validated at head and compared with base.
 */
import { affectedEnvironments, environmentNameDiagnostic, environmentPath, SETTINGS_FILE } from '../domain/settings/environments';
import { planEnvironment, type EnvironmentPlan, type Plan, type PullRequestContext } from '../domain/plan/plan';
import type { SettingsRepository } from '../ports/settings-source';
import type { VersionResolver } from '../ports/version-resolver';
import { snapshotOf, validateEnvironment, type EnvironmentValidation } from './validate-settings';

export interface PlanOptions {
  readonly resolver?: VersionResolver;
  /** The SPA code repository when deployment.yaml names none (the controller's configuration), as at deploy time. */
  readonly defaultCodeGitUrl?: string;
  /**
   * The commit affected environments are computed from (a pull request's merge base); defaults to base.
   * The comparison itself is always base (what the trunk has now) against head.
   */
  readonly affectedFrom?: string;
  readonly context?: PullRequestContext;
}

export interface PlanResult {
  readonly plan: Plan;
  /** The head validation of each affected environment that still exists at head. */
  readonly validations: EnvironmentValidation[];
}

export async function planChange(
  repository: SettingsRepository,
  base: { ref: string; commit: string },
  head: { ref: string; commit: string },
  options: PlanOptions = {},
): Promise<PlanResult> {
  const changed = await repository.changedPaths(options.affectedFrom ?? base.commit, head.commit);
  const { environments: names, others } = affectedEnvironments(changed);
  const baseSource = repository.at(base.commit);
  const headSource = repository.at(head.commit);
  const validations: EnvironmentValidation[] = [];
  const environments: EnvironmentPlan[] = await Promise.all(
    names.map(async (name) => {
      const path = environmentPath(name);
      // The base side is only compared: validated for its effective settings and pin, and absent when it has no
      // settings file there (a new environment). The head side is reviewed in full.
      const atHead = await exists(headSource, path);
      const [base, headValidation] = await Promise.all([
        validateEnvironment(baseSource, name, { ...options, snapshotOnly: true }),
        atHead ? validateEnvironment(headSource, name, options) : undefined,
      ]);
      const baseValidation = hasSettingsFile(base) ? base : undefined;
      if (headValidation) validations.push(headValidation);
      // The same verdict as `spa-cd validate` on the whole repository: a folder name that cannot be an environment is an error.
      const badName = environmentNameDiagnostic(name);
      return planEnvironment({
        name,
        path,
        diagnostics: [...(badName && headValidation ? [badName] : []), ...(headValidation?.diagnostics ?? [])],
        ...(baseValidation ? { base: snapshotOf(baseValidation) } : {}),
        ...(headValidation ? { head: snapshotOf(headValidation) } : {}),
      });
    }),
  );
  return {
    plan: { base, head, environments, unaffectedChanges: others, ...(options.context ? { context: options.context } : {}) },
    validations: validations.sort((a, b) => (a.name < b.name ? -1 : 1)),
  };
}

function hasSettingsFile(validation: EnvironmentValidation): boolean {
  const settingsFile = `${validation.path}/${SETTINGS_FILE}`;
  return !validation.diagnostics.some((d) => d.file === settingsFile && d.code === 'file-missing');
}

async function exists(source: ReturnType<SettingsRepository['at']>, path: string): Promise<boolean> {
  return (await source.list(path)).length > 0;
}
