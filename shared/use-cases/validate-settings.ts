/**
 * Use case: validate settings as SPA would, plus spa-cd's own rules (manifest, version pin).
 * Used by `spa-cd validate`, `spa-cd plan`, the pull request review and the deploy-time check.
 * Never throws on repository content: every problem is a diagnostic.
 */
import { sortDiagnostics, hasErrors, type Diagnostic } from '../domain/settings/diagnostics';
import type { EffectiveSettings } from '../domain/settings/effective-settings';
import {
  discoverEnvironments,
  ENVIRONMENTS_FOLDER,
  environmentPath,
  SETTINGS_FILE,
} from '../domain/settings/environments';
import { checkBuildFiles } from '../domain/build-files';
import { checkSettings, type ReferencedFile } from '../domain/settings/settings-loader';
import type { EnvironmentSnapshot } from '../domain/plan/plan';
import { resolvedCommit } from '../domain/plan/version-diff';
import { MemoizedSource } from '../support/memoized-settings-repository';
import type { SettingsSource } from '../ports/settings-source';
import type { ResolvedVersion, VersionResolver } from '../ports/version-resolver';
import { checkDeploymentPin, type DeploymentPin } from './check-deployment-pin';

export interface EnvironmentValidation {
  readonly name: string;
  /** The environment folder (`environments/prod`), or the folder of a bare settings file. */
  readonly path: string;
  readonly valid: boolean;
  readonly diagnostics: Diagnostic[];
  readonly effective?: EffectiveSettings;
  readonly referencedFiles: ReferencedFile[];
  /** Manifest and pin; absent for a bare settings file (SPA rules only). */
  readonly deployment?: DeploymentPin;
  readonly spaResolved?: ResolvedVersion;
}

export interface ValidationOptions {
  /** Asks the code repository what the pin names; without it the pin is checked offline only. */
  readonly resolver?: VersionResolver;
  /**
   * Only what a comparison needs (effective settings, manifest, pin): no checks of referenced files. For the side
   * of a change that is compared, not reviewed (a plan's base); saves folder listings.
   */
  readonly snapshotOnly?: boolean;
  /** The SPA code repository when deployment.yaml names none (the controller's configuration). */
  readonly defaultCodeGitUrl?: string;
}

/** SPA's rules only, for one settings file (`spa-cd validate path/to/settings.yaml`). */
export async function validateSettingsFile(source: SettingsSource, settingsFile: string, folder: string): Promise<EnvironmentValidation> {
  const result = await checkSettings({ source, settingsFile, environmentFolder: folder });
  const diagnostics = sortDiagnostics(result.diagnostics);
  return {
    name: folder === '' ? '.' : folder.split('/').pop() ?? folder,
    path: folder,
    valid: !hasErrors(diagnostics),
    diagnostics,
    ...(result.effective ? { effective: result.effective } : {}),
    referencedFiles: result.referencedFiles,
  };
}

/** One environment folder: settings, manifest, pin (and its resolution when a resolver is given). */
export async function validateEnvironment(
  input: SettingsSource,
  name: string,
  options: ValidationOptions & { path?: string } = {},
): Promise<EnvironmentValidation> {
  // the settings check, the pin check and the build files check list the folder and read variables.sh: once each
  const source = memoized(input);
  const path = options.path ?? environmentPath(name);
  const settingsFile = path === '' ? SETTINGS_FILE : `${path}/${SETTINGS_FILE}`;
  const settingsCheck = checkSettings({ source, settingsFile, environmentFolder: path, ...(options.snapshotOnly ? { referencedFileChecks: false } : {}) });
  const pinCheck = checkDeploymentPin(source, path, {
    ...(options.resolver ? { resolver: options.resolver } : {}),
    ...(options.defaultCodeGitUrl ? { defaultCodeGitUrl: options.defaultCodeGitUrl } : {}),
  });
  // build files (templates, scripts, variables.sh, variables across files) overlap with the two checks above
  const [settings, deployment, buildFiles] = await Promise.all([
    settingsCheck,
    pinCheck,
    options.snapshotOnly
      ? []
      : checkBuildFiles({
          source,
          environmentFolder: path,
          settingsFile,
          referencedFiles: settingsCheck.then((s) => s.referencedFiles),
          effective: settingsCheck.then((s) => s.effective),
          spaVersion: pinCheck.then((d) => d.pin.spaVersion),
        }),
  ]);
  // A template missing from the folder is reported by the build files check, naming the SPA version whose own
  // template it may be: the settings check's plainer warning on the same line is dropped then.
  const settingsDiagnostics = options.snapshotOnly ? settings.diagnostics : settings.diagnostics.filter((d) => d.code !== 'template-missing');
  const diagnostics = sortDiagnostics([...settingsDiagnostics, ...deployment.diagnostics, ...buildFiles]);
  const valid = !hasErrors(diagnostics);
  return {
    name,
    path,
    valid,
    diagnostics,
    ...(settings.effective ? { effective: settings.effective } : {}),
    referencedFiles: settings.referencedFiles,
    deployment: deployment.pin,
    ...(deployment.resolved ? { spaResolved: deployment.resolved } : {}),
  };
}

export interface RepositoryValidation {
  readonly valid: boolean;
  /** Every diagnostic, repository-level ones included, sorted. */
  readonly diagnostics: Diagnostic[];
  readonly environments: EnvironmentValidation[];
}

/** Every environment of a repository (or only `only`), validated in parallel. */
export async function validateRepository(
  input: SettingsSource,
  options: ValidationOptions & { only?: readonly string[] } = {},
): Promise<RepositoryValidation> {
  // each environment's listing is then answered from this one
  const source = memoized(input);
  const listing = await source.list(ENVIRONMENTS_FOLDER);
  const discovered = discoverEnvironments(listing);
  const wanted = options.only === undefined ? discovered.names : discovered.names.filter((n) => options.only?.includes(n));
  const environments = await Promise.all(wanted.map((name) => validateEnvironment(source, name, options)));
  const repositoryDiagnostics = discovered.diagnostics.filter(
    (d) => options.only === undefined || options.only.some((n) => d.file.startsWith(`${environmentPath(n)}/`) || d.file === environmentPath(n)),
  );
  const diagnostics = sortDiagnostics([...repositoryDiagnostics, ...environments.flatMap((e) => e.diagnostics)]);
  return { valid: !hasErrors(diagnostics), diagnostics, environments };
}

function memoized(source: SettingsSource): SettingsSource {
  return source instanceof MemoizedSource ? source : new MemoizedSource(source);
}

/**
 * The SPA commit a deployment of this environment checks out: what the pin resolved to, or the pin itself when it is
 * a full commit id (immutable, nothing to resolve); undefined when a tag or branch could not be resolved.
 */
export function pinnedCommit(validation: EnvironmentValidation): string | undefined {
  // the plan shows the same commit (resolvedCommit writes a commit pin in lower case)
  return resolvedCommit(validation.deployment?.spaVersion, validation.spaResolved);
}

/** What the plan and the review need of one side of a change. */
export function snapshotOf(validation: EnvironmentValidation): EnvironmentSnapshot {
  const pin = validation.deployment;
  return {
    ...(validation.effective ? { effective: validation.effective } : {}),
    ...(pin?.spaVersion !== undefined ? { spaVersion: pin.spaVersion } : {}),
    ...(validation.spaResolved ? { spaResolved: validation.spaResolved } : {}),
    autoDeploy: pin?.autoDeploy ?? true,
    frozen: pin?.frozen ?? false,
    allowFloatingVersion: pin?.allowFloatingVersion ?? false,
  };
}
