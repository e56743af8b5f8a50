/**
 * spa-cd's own rules for an environment folder (product.md section 2): the deployment manifest, the SPA version
 * pin (deployment.yaml `spa_version`, else a literal `CODE_GIT_BRANCH` in variables.sh), and, when a resolver is
 * given, what the code repository says the pin names. Reads through the settings source; never throws on content.
 */
import type { Diagnostic } from '../domain/settings/diagnostics';
import { checkManifest, defaultManifest, type ManifestCheck } from '../domain/settings/deployment-manifest';
import { MANIFEST_FILE, VARIABLES_FILE } from '../domain/settings/environments';
import { readTextFile } from '../domain/settings/text-decoding';
import { readPinFromVariablesScript, type VariablesPinResult } from '../domain/settings/variables-script';
import { checkPin, checkResolvedPin, type VersionPin } from '../domain/settings/version-pin';
import type { SettingsSource } from '../ports/settings-source';
import type { ResolvedVersion, VersionResolver } from '../ports/version-resolver';

export interface DeploymentPin {
  /** The pin as written, when there is exactly one valid pin. */
  readonly spaVersion?: string;
  readonly pin?: VersionPin;
  readonly codeGitUrl: string;
  readonly autoDeploy: boolean;
  readonly frozen: boolean;
  readonly allowFloatingVersion: boolean;
}

export interface DeploymentPinCheck {
  readonly diagnostics: Diagnostic[];
  readonly pin: DeploymentPin;
  readonly resolved?: ResolvedVersion;
}

export async function checkDeploymentPin(
  source: SettingsSource,
  folder: string,
  options: { resolver?: VersionResolver; defaultCodeGitUrl?: string } = {},
): Promise<DeploymentPinCheck> {
  const { resolver } = options;
  const manifestOptions = options.defaultCodeGitUrl ? { defaultCodeGitUrl: options.defaultCodeGitUrl } : {};
  const manifestFile = folder === '' ? MANIFEST_FILE : `${folder}/${MANIFEST_FILE}`;
  const variablesFile = folder === '' ? VARIABLES_FILE : `${folder}/${VARIABLES_FILE}`;
  const diagnostics: Diagnostic[] = [];
  const [manifestText, variablesText] = await Promise.all([readTextFile(source, manifestFile), readTextFile(source, variablesFile)]);

  // A file that exists but cannot be read is reported once, and counts as present (no spurious "no pin").
  let manifest: ManifestCheck | undefined;
  if (manifestText.ok) manifest = checkManifest(manifestFile, manifestText.text, manifestOptions);
  else if (manifestText.reason !== 'not-found') manifest = { diagnostics: [manifestText.diagnostic] };
  if (manifest) diagnostics.push(...manifest.diagnostics);

  let variables: VariablesPinResult | undefined;
  if (variablesText.ok) variables = await readPinFromVariablesScript(variablesFile, variablesText.text);
  else if (variablesText.reason !== 'not-found') variables = { diagnostics: [variablesText.diagnostic] };
  if (variables) diagnostics.push(...variables.diagnostics);

  const pinCheck = checkPin({ manifestFile, variablesFile, ...(manifest ? { manifest } : {}), ...(variables ? { variables } : {}) });
  diagnostics.push(...pinCheck.diagnostics);

  const fields = manifest?.manifest ?? defaultManifest(manifestOptions);
  const pin: DeploymentPin = {
    ...(pinCheck.pin ? { spaVersion: pinCheck.pin.value, pin: pinCheck.pin } : {}),
    codeGitUrl: fields.code_git_url,
    autoDeploy: fields.auto_deploy,
    frozen: fields.frozen,
    allowFloatingVersion: fields.allow_floating_version,
  };
  if (pinCheck.pin === undefined || resolver === undefined || fields.invalid.includes('code_git_url')) return { diagnostics, pin };

  const resolved = await resolver.resolve(fields.code_git_url, pinCheck.pin.value);
  diagnostics.push(...checkResolvedPin(pinCheck.pin, resolved, { allowFloatingVersion: fields.allow_floating_version, codeGitUrl: fields.code_git_url }));
  return { diagnostics, pin, resolved };
}
