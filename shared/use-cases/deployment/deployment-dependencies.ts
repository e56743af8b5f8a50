import type { BuildService } from '../../ports/build-service';
import type { DeploymentNotifier } from '../../ports/deployment-notifier';
import type { DeploymentStore } from '../../ports/deployment-store';
import type { SettingsRepository } from '../../ports/settings-source';
import type { Log, Metrics } from '../../ports/telemetry';
import type { VersionResolver } from '../../ports/version-resolver';

/** One environment the controller may deploy: its folder and the CodeBuild project that deploys it. */
export interface DeploymentTarget {
  readonly name: string;
  readonly path: string;
  readonly project: string;
}

/** Everything the deployment use cases need; handlers, the CLI and local mode wire adapters into it. */
export interface DeploymentDependencies {
  readonly repository: SettingsRepository;
  readonly store: DeploymentStore;
  readonly builds: BuildService;
  readonly notifier: DeploymentNotifier;
  readonly resolver?: VersionResolver;
  readonly targets: readonly DeploymentTarget[];
  /** The SPA code repository when deployment.yaml does not name one. */
  readonly defaultCodeGitUrl: string;
  readonly log: Log;
  readonly metrics: Metrics;
  readonly now: () => Date;
  /** Told of every trunk merge made by CodeCommit (merge commit and the pull request's source commit), to link deployments to pull requests. */
  readonly mergeLinks?: { link(merge: { commitId: string; sourceCommitId: string }): Promise<void> };
}

export function targetOf(deps: DeploymentDependencies, environment: string): DeploymentTarget | undefined {
  return deps.targets.find((t) => t.name === environment);
}
