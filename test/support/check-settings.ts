/** Helpers for tests of checkSettings: an environment folder `env` in memory with its settings.yaml. */
import { checkSettings, type SettingsCheckResult } from '../../shared/domain/settings/settings-loader';
import type { Diagnostic } from '../../shared/domain/settings/diagnostics';
import { MemorySource, type MemoryFiles } from './memory-source';

export async function checkEnvironment(settings: string | Uint8Array, files: MemoryFiles = {}): Promise<SettingsCheckResult> {
  const all: MemoryFiles = { 'env/settings.yaml': settings };
  for (const [path, content] of Object.entries(files)) all[`env/${path}`] = content;
  return checkSettings({ source: new MemorySource(all), settingsFile: 'env/settings.yaml', environmentFolder: 'env' });
}

/** `code@line:column` of each diagnostic (file omitted when it is the settings file). */
export function where(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.file === 'env/settings.yaml' ? '' : `${d.file} `}${d.code}@${d.line}:${d.column}`);
}

export function errors(result: SettingsCheckResult): Diagnostic[] {
  return result.diagnostics.filter((d) => d.severity === 'error');
}

export function warnings(result: SettingsCheckResult): Diagnostic[] {
  return result.diagnostics.filter((d) => d.severity === 'warning');
}

/** A minimal valid account list, for tests that need one item. */
export const ONE_ACCOUNT = "accounts:\n  - identifier: '123456789012'\n";
