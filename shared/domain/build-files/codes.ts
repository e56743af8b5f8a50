/**
 * Diagnostic codes of the build-file checks: buildspec templates, shell scripts, `variables.sh` and the variables that
 * settings pass to preparation and purge. docs/diagnostics/build-files.md documents each code; a test checks that
 * they agree. Findings about reading a file (`file-too-large`, `invalid-utf8`, ...) and YAML syntax (`yaml-*`) keep
 * the codes of the settings engine.
 */
import type { Diagnostic, Position } from '../settings/diagnostics';
import type { CodeInfo } from '../settings/settings-codes';

export const BUILD_FILES_CODES = {
  // buildspec templates
  'buildspec-not-a-mapping': { severity: 'error', summary: 'A buildspec template that is empty or whose top level is not a mapping of keys to values.' },
  'buildspec-invalid-version': { severity: 'error', summary: 'A buildspec template without `version: 0.2`, or with a version CodeBuild does not know.' },
  'buildspec-legacy-version': { severity: 'warning', summary: 'A buildspec template with `version: 0.1`, where each command runs in a shell of its own.' },
  'buildspec-unknown-key': { severity: 'error', summary: 'A key the CodeBuild buildspec format does not have (often a typo such as `pre-build`).' },
  'buildspec-wrong-type': { severity: 'error', summary: 'A buildspec value of the wrong YAML type (a string where a list is needed, a list as a variable value, ...).' },
  'buildspec-invalid-value': { severity: 'error', summary: 'A buildspec value outside the ones CodeBuild accepts (`on-failure`, `env.shell`, `cache.action`, yes/no flags).' },
  'buildspec-phase-without-commands': { severity: 'error', summary: 'A phase of a buildspec template without any command.' },
  'buildspec-runtime-versions-outside-install': { severity: 'error', summary: '`runtime-versions` in a phase other than `install`.' },
  'buildspec-reserved-variable': { severity: 'error', summary: 'A buildspec variable whose name starts with `CODEBUILD_`, a prefix CodeBuild reserves.' },
  'buildspec-no-commands': { severity: 'warning', summary: 'A buildspec template that runs no command at all.' },
  'buildspec-template-too-large': { severity: 'error', summary: 'A preparation or purge template larger than the 8 KB SSM parameter SPA stores it in.' },
  'buildspec-template-from-spa': { severity: 'warning', summary: 'A template the settings name that is not in the environment folder: the build uses the file of that name in SPA\'s code base, if any.' },
  // shell
  'shell-syntax-error': { severity: 'error', summary: 'A buildspec command or a shell script that is not valid bash.' },
  'shell-heredoc-unterminated': { severity: 'warning', summary: 'A here-document without its closing delimiter: bash reads it up to the end and warns.' },
  'shell-not-analysed': { severity: 'warning', summary: 'A command or script spa-cd could not parse (too large, not UTF-8, parser failure): it was not checked.' },
  'script-missing-shebang': { severity: 'warning', summary: 'A shell script without a `#!` first line naming its interpreter.' },
  'script-not-executable': { severity: 'warning', summary: 'A buildspec runs a script directly (`./script.sh`), but git does not record it as executable.' },
  'script-windows-line-endings': { severity: 'warning', summary: 'A shell script with Windows line endings (CR LF): bash reads the carriage returns as part of each command.' },
  // variables.sh
  'variables-script-runs-code': { severity: 'warning', summary: 'variables.sh does more than assign variables: the deployment build runs it with its credentials.' },
  // variables across files
  'variable-set-but-unused': { severity: 'warning', summary: 'The settings pass a variable to preparation or purge that the template never reads.' },
  'variable-read-but-unset': { severity: 'warning', summary: 'A template reads a variable that neither the settings, the template, SPA nor CodeBuild sets.' },
  // limits and failures
  'build-files-too-many': { severity: 'warning', summary: 'The environment holds more templates or scripts than spa-cd checks; the rest were not checked.' },
  'build-files-check-failed': { severity: 'warning', summary: 'The build files could not be checked (the folder could not be listed, or the check failed).' },
} as const satisfies Record<string, CodeInfo>;

export type BuildFilesCode = keyof typeof BUILD_FILES_CODES;

/** A diagnostic of this area at `at` in `file`, with its code's severity. */
export function buildFilesDiagnostic(file: string, at: Position, code: BuildFilesCode, message: string, hint?: string): Diagnostic {
  return { file, line: at.line, column: at.column, severity: BUILD_FILES_CODES[code].severity, code, message, ...(hint ? { hint } : {}) };
}
