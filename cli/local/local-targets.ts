/** The environments local mode deploys: every environment seen at the trunk or in the history (grows, never shrinks). */
import { discoverEnvironments, ENVIRONMENTS_FOLDER, environmentPath } from '../../shared/domain/settings/environments';
import type { SettingsSource } from '../../shared/ports/settings-source';
import type { DeploymentTarget } from '../../shared/use-cases/deployment/deployment-dependencies';
import { localProjectName } from './local-events';

export class LocalTargets {
  private readonly names = new Set<string>();

  get list(): DeploymentTarget[] {
    return [...this.names].sort().map((name) => ({ name, path: environmentPath(name), project: localProjectName(name) }));
  }

  async addFrom(source: SettingsSource): Promise<void> {
    for (const name of discoverEnvironments(await source.list(ENVIRONMENTS_FOLDER)).names) this.names.add(name);
  }

  add(names: readonly string[]): void {
    for (const name of names) this.names.add(name);
  }
}
