/**
 * Everything the builds will run, checked statically with exact lines (issue "Validate everything the build will
 * run"): the buildspec templates of preparation and purge and every `*.yaml`/`*.yml` under a `buildspec` folder of
 * the environment, every `*.sh` of the environment folder, `variables.sh`, and the variables the settings pass to
 * preparation and purge against the names the templates read.
 *
 * Nothing from the repository is ever executed: templates are read as YAML, shell is parsed by mvdan/sh (WASM) and
 * read by shell-lexer.ts. Files are read through the SettingsSource port with the engine's limits. Never throws.
 *
 * The inputs that come from the settings check (referenced files, effective settings, SPA version) may be given as
 * promises: the listing, reading and parsing of the build files then overlap with the settings check.
 */
import type { EntryKind, SettingsSource, SourceEntry } from '../../ports/settings-source';
import { sortDiagnostics, type Diagnostic, type Position } from '../settings/diagnostics';
import type { EffectiveSettings } from '../settings/effective-settings';
import { SETTINGS_FILE, VARIABLES_FILE } from '../settings/environments';
import { shown } from '../settings/manifest-codes';
import { normalizeRepoPath, symlinkOnPath } from '../settings/referenced-path';
import type { ReferencedFile } from '../settings/settings-loader';
import { readTextFile, type TextFileResult } from '../settings/text-decoding';
import { checkBuildspecTemplate, type BuildspecCheck } from './buildspec-template';
import { buildFilesDiagnostic } from './codes';
import { shellNames, type ShellNames } from './shell-names';
import { checkScriptText, notExecutableDiagnostic, scriptRunBy, syntaxDiagnostic, textPositions, type ScriptEntry } from './shell-scripts';
import { checkShellSyntax, warmUpShellSyntax, type SyntaxOutcome } from './shell-syntax';
import { closest } from './suggest';
import { checkVariablesScriptCode } from './variables-script-code';
import { checkVariablesUsage, locateInCsvHeader, locateInSettings, settingsVariables, type TemplateUsage, type WorkerKind } from './variables-usage';

export { BUILD_FILES_CODES, type BuildFilesCode } from './codes';

type Awaitable<T> = T | PromiseLike<T>;

export interface BuildFilesInput {
  readonly source: SettingsSource;
  /** Repository folder of the environment (`environments/prod`). */
  readonly environmentFolder: string;
  /** The settings check's referenced files (templates with `exists`, CSV lists). */
  readonly referencedFiles: Awaitable<readonly ReferencedFile[]>;
  /** SPA's effective settings; undefined when the settings have errors (the variable checks are skipped then). */
  readonly effective: Awaitable<EffectiveSettings | undefined>;
  /** The pinned SPA version, to name it when a template comes from SPA's code base. */
  readonly spaVersion?: Awaitable<string | undefined>;
  /** The settings file (default `<environmentFolder>/settings.yaml`): where variable warnings point. */
  readonly settingsFile?: string;
}

/** Most templates and scripts checked in one environment. */
export const MAX_TEMPLATES = 200;
export const MAX_SCRIPTS = 500;
/** Largest script read (the parser takes far less: larger ones get their first line checked only when smaller). */
export const MAX_SCRIPT_BYTES = 256 * 1024;
/** SPA stores each template in an SSM parameter (advanced tier: 8 KB): reply-fr/sustainable-personal-accounts cdk/parameters_construct.py. */
export const MAX_TEMPLATE_BYTES = 8 * 1024;

/**
 * Buildspec files SPA's own code base has held (reply-fr/sustainable-personal-accounts, fixtures/buildspec/ and the
 * older tests/buildspec/): a referenced template that is none of these and not in the settings is probably a typo.
 */
export const SPA_OWN_TEMPLATES = [
  'fixtures/buildspec/preparation_account_template.yaml',
  'fixtures/buildspec/purge_account_with_awsweeper_template.yaml',
  'fixtures/buildspec/prepare-account-from-git.yaml',
  'tests/buildspec/preparation_account_template.yaml',
  'tests/buildspec/purge_account_template.yaml',
] as const;

const KIND_OF_REFERENCE: Partial<Record<ReferencedFile['kind'], WorkerKind>> = { 'preparation-buildspec': 'preparation', 'purge-buildspec': 'purge' };
const SETTING_OF_KIND: Record<WorkerKind, string> = { preparation: 'worker.preparation_buildspec_template_file', purge: 'worker.purge_buildspec_template_file' };
const SYNTAX_HINT_COMMAND = 'fix the command; CodeBuild would fail the phase at this command (bash -n on the command shows the same error)';

export async function checkBuildFiles(input: BuildFilesInput): Promise<Diagnostic[]> {
  // handlers first: a rejected input must never become an unhandled rejection while the listing is awaited
  const referencedFiles = settle(input.referencedFiles, [] as readonly ReferencedFile[]);
  const effective = settle(input.effective, undefined);
  const spaVersion = settle(input.spaVersion, undefined);
  const folder = normalizeRepoPath(input.environmentFolder);
  try {
    return sortDiagnostics(await new BuildFilesCheck(input.source, folder, input.settingsFile ?? join(folder, SETTINGS_FILE)).run(referencedFiles, effective, spaVersion));
  } catch (error) {
    return [failure(join(folder, SETTINGS_FILE), `the build files of ${folder || 'the repository'} could not be checked: ${error instanceof Error ? error.message : String(error)}`)];
  }
}

function settle<T, F>(value: Awaitable<T> | undefined, fallback: F): Promise<T | F> {
  return Promise.resolve(value).then(
    (v) => (v === undefined ? fallback : v),
    () => fallback,
  );
}

function join(folder: string, name: string): string {
  return folder === '' ? name : `${folder}/${name}`;
}


function failure(file: string, message: string): Diagnostic {
  return buildFilesDiagnostic(file, { line: 1, column: 1 }, 'build-files-check-failed', message, 'run the validation again; if it keeps failing, report it to the spa-cd maintainers');
}

interface Template {
  readonly path: string;
  readonly read: Promise<TextFileResult>;
  /** Kinds whose setting names this template, with where. */
  readonly references: { kind: WorkerKind; line: number; column: number }[];
}

interface CheckedTemplate {
  readonly template: Template;
  readonly check: BuildspecCheck;
  /** Size in UTF-8 bytes. */
  readonly bytes: number;
  /** What command i reads, sets and runs (computed when first asked). */
  readonly namesOf: (i: number) => ShellNames;
}

/** Script texts (bash ones only), and what each reads and sets, computed when first asked. */
class ScriptTexts {
  readonly texts = new Map<string, string>();
  private readonly names = new Map<string, ShellNames>();

  namesOf(path: string): ShellNames | undefined {
    const text = this.texts.get(path);
    if (text === undefined) return undefined;
    let found = this.names.get(path);
    if (found === undefined) {
      found = shellNames(text);
      this.names.set(path, found);
    }
    return found;
  }

  /** Whether a script expands `name` (a quick over-approximation: quoting is not considered). */
  mentions(name: string): boolean {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return false;
    const pattern = new RegExp(`\\$\\{?[#!]?${name}(?![A-Za-z0-9_])|printenv\\s+${name}(?![A-Za-z0-9_])`);
    for (const text of this.texts.values()) if (text.includes(name) && pattern.test(text)) return true;
    return false;
  }
}

interface Script extends ScriptEntry {
  readonly read: Promise<TextFileResult>;
}

/** One syntax check to run: the text and how to report its outcome. */
interface SyntaxJob {
  readonly text: string;
  readonly report: (outcome: SyntaxOutcome) => Diagnostic | undefined;
}

class BuildFilesCheck {
  private readonly diagnostics: Diagnostic[] = [];
  /** Templates that could not be read: errors once known to be named by the settings, else warnings. */
  private readonly unread: { template: Template; diagnostic: Diagnostic }[] = [];

  constructor(
    private readonly source: SettingsSource,
    private readonly folder: string,
    private readonly settingsFile: string,
  ) {}

  async run(
    referencedFiles: Promise<readonly ReferencedFile[]>,
    effective: Promise<EffectiveSettings | undefined>,
    spaVersion: Promise<string | undefined>,
  ): Promise<Diagnostic[]> {
    let entries: SourceEntry[];
    try {
      entries = await this.source.list(this.folder);
    } catch (error) {
      return [failure(this.settingsFile, `${this.folder || 'the environment folder'} could not be listed: ${error instanceof Error ? error.message : String(error)}`)];
    }
    // Start the parser's threads as soon as there is shell to parse (never for a folder without templates or
    // scripts): they are ready and warm once the files are read, while the settings check keeps this thread busy.
    if (entries.some((e) => /\.(sh|ya?ml)$/.test(e.path) && e.path !== `${this.folder}/settings.yaml` && e.path !== `${this.folder}/deployment.yaml`)) warmUpShellSyntax();
    const index = new Map<string, EntryKind>(entries.map((e) => [normalizeRepoPath(e.path), e.kind]));
    const templates = new Map<string, Template>();
    const scripts: Script[] = [];
    let variablesScript: string | undefined;
    const prefix = this.folder === '' ? '' : `${this.folder}/`;
    let skippedTemplates = 0;
    let skippedScripts = 0;
    for (const entry of entries) {
      const path = normalizeRepoPath(entry.path);
      if ((entry.kind !== 'file' && entry.kind !== 'executable') || !path.startsWith(prefix)) continue;
      const relative = path.slice(prefix.length);
      if (relative === VARIABLES_FILE) {
        variablesScript = path;
        continue;
      }
      if (/\.ya?ml$/.test(relative) && relative.split('/').slice(0, -1).includes('buildspec')) {
        if (templates.size >= MAX_TEMPLATES) skippedTemplates += 1;
        else templates.set(path, { path, read: readTextFile(this.source, path), references: [] });
      } else if (relative.endsWith('.sh')) {
        if (scripts.length >= MAX_SCRIPTS) skippedScripts += 1;
        else scripts.push({ path, kind: entry.kind, read: this.readScript(path, entry.size) });
      }
    }
    if (skippedTemplates + skippedScripts > 0) {
      this.diagnostics.push(
        buildFilesDiagnostic(
          this.settingsFile,
          { line: 1, column: 1 },
          'build-files-too-many',
          `${this.folder} holds more than ${MAX_TEMPLATES} buildspec templates or ${MAX_SCRIPTS} scripts; ${skippedTemplates + skippedScripts} of them were not checked`,
          'move files that are not part of the deployment out of the environment folder',
        ),
      );
    }
    const variablesCheck = variablesScript === undefined ? Promise.resolve([]) : this.variablesScript(variablesScript);

    // what the listing shows is parsed at once, while the settings are still being checked
    const jobs: SyntaxJob[] = [];
    const checked = await this.templates([...templates.values()], jobs);
    const scriptTexts = await this.scripts(scripts, jobs);
    const syntax = [this.syntax(jobs)];

    // the templates the settings name: the ones in the folder are checked, the others come from SPA's code base
    const references = await referencedFiles;
    const version = await spaVersion;
    const named: Template[] = [];
    for (const reference of references) {
      const kind = KIND_OF_REFERENCE[reference.kind];
      if (kind === undefined) continue;
      const where = { kind, line: reference.line, column: reference.column };
      const listed = index.get(reference.path);
      if (reference.exists || listed === 'file' || listed === 'executable') {
        let template = templates.get(reference.path);
        if (template === undefined) {
          template = { path: reference.path, read: readTextFile(this.source, reference.path), references: [] };
          templates.set(reference.path, template);
          named.push(template);
        }
        template.references.push(where);
      } else if (listed === undefined && symlinkOnPath(reference.path, index) === undefined) {
        this.diagnostics.push(this.fromSpa(reference, kind, version, [...templates.keys()]));
      }
    }
    if (named.length > 0) {
      const more: SyntaxJob[] = [];
      checked.push(...(await this.templates(named, more)));
      syntax.push(this.syntax(more));
    }
    this.sizes(checked);
    this.unreadTemplates();
    this.scriptRuns(checked, scripts);
    for (const found of await Promise.all(syntax)) this.diagnostics.push(...found);
    this.diagnostics.push(...(await this.variables(checked, scripts, scriptTexts, await effective, references)));
    this.diagnostics.push(...(await variablesCheck));
    return this.diagnostics;
  }

  private async syntax(jobs: readonly SyntaxJob[]): Promise<Diagnostic[]> {
    if (jobs.length === 0) return [];
    const outcomes = await checkShellSyntax(jobs.map((j) => j.text));
    const found: Diagnostic[] = [];
    jobs.forEach((job, i) => {
      const outcome = outcomes[i];
      const diagnostic = outcome === undefined ? undefined : job.report(outcome);
      if (diagnostic) found.push(diagnostic);
    });
    return found;
  }

  /** A named template SPA could not read is an error (its own code); another one is only not checked. */
  private unreadTemplates(): void {
    for (const { template, diagnostic } of this.unread) {
      if (template.references.length > 0) this.diagnostics.push(diagnostic);
      else if (diagnostic.code !== 'file-missing') {
        this.diagnostics.push(buildFilesDiagnostic(template.path, diagnostic, 'shell-not-analysed', `${template.path} was not checked: ${diagnostic.message}`, diagnostic.hint));
      }
    }
  }

  /** SPA stores each named template in an SSM parameter: a larger one fails the deployment. */
  private sizes(checked: readonly CheckedTemplate[]): void {
    for (const { template, bytes } of checked) {
      if (template.references.length === 0 || bytes <= MAX_TEMPLATE_BYTES) continue;
      this.diagnostics.push(
        buildFilesDiagnostic(
          template.path,
          { line: 1, column: 1 },
          'buildspec-template-too-large',
          `${template.path} is ${bytes} bytes; SPA stores the ${[...new Set(template.references.map((r) => r.kind))].join(' and ')} template in an SSM parameter of at most ${MAX_TEMPLATE_BYTES} bytes, so the deployment would fail`,
          'shorten the template: move long commands into a script, remove comments and the licence header',
        ),
      );
    }
  }

  private fromSpa(reference: ReferencedFile, kind: WorkerKind, version: string | undefined, environmentTemplates: readonly string[]): Diagnostic {
    const relative = this.folder === '' ? reference.path : reference.path.slice(this.folder.length + 1);
    const known = (SPA_OWN_TEMPLATES as readonly string[]).includes(relative);
    const release = version === undefined ? 'the SPA version this environment deploys' : `SPA ${shown(version)}`;
    const suggestion = known ? undefined : closest(relative, [...SPA_OWN_TEMPLATES, ...environmentTemplates.map((p) => p.slice(this.folder.length + 1))]);
    return buildFilesDiagnostic(
      this.settingsFile,
      reference,
      'buildspec-template-from-spa',
      known
        ? `${SETTING_OF_KIND[kind]} names ${relative}, which is not in the environment folder: the ${kind} builds use SPA's own file from ${release}; spa-cd does not check it, nor the ${kind} variables against it`
        : `${SETTING_OF_KIND[kind]} names ${shown(relative)}, which is neither in the environment folder nor one of SPA's own buildspec files spa-cd knows: the deployment of ${release} fails (FileNotFoundError) unless that version of SPA has the file`,
      suggestion ? `did you mean ${suggestion}?` : `add the template to ${this.folder || 'the environment folder'}, or check that ${release} has ${relative}`,
    );
  }

  private async templates(templates: readonly Template[], jobs: SyntaxJob[]): Promise<CheckedTemplate[]> {
    const checked: CheckedTemplate[] = [];
    for (const template of templates) {
      const read = await template.read;
      if (!read.ok) {
        this.unread.push({ template, diagnostic: read.diagnostic });
        continue;
      }
      const bytes = Buffer.byteLength(read.text, 'utf8');
      const check = checkBuildspecTemplate(template.path, read.text);
      this.diagnostics.push(...check.diagnostics);
      const bash = check.shell === undefined || check.shell === 'bash' || check.shell === '/bin/sh';
      const names: (ShellNames | undefined)[] = [];
      const namesOf = (i: number): ShellNames => (names[i] ??= shellNames(check.commands[i]?.text ?? ''));
      for (const command of check.commands) {
        if (!bash || command.text.trim() === '') continue;
        jobs.push({
          text: command.text,
          report: (outcome) => syntaxDiagnostic(template.path, outcome, command.positionOf, `command ${command.number} of phases.${command.phase}.${command.block}`, SYNTAX_HINT_COMMAND),
        });
      }
      checked.push({ template, check, bytes, namesOf });
    }
    return checked;
  }

  private async scripts(scripts: readonly Script[], jobs: SyntaxJob[]): Promise<ScriptTexts> {
    const texts = new ScriptTexts();
    for (const script of scripts) {
      const read = await script.read;
      if (!read.ok) {
        if (read.diagnostic.code === 'shell-not-analysed') this.diagnostics.push(read.diagnostic);
        else if (read.reason === 'invalid-utf8' || read.reason === 'too-large') {
          this.diagnostics.push(buildFilesDiagnostic(script.path, { line: read.diagnostic.line, column: read.diagnostic.column }, 'shell-not-analysed', `${script.path} was not checked: ${read.diagnostic.message}`, 'save scripts as UTF-8 and keep them small'));
        } else if (read.diagnostic.code !== 'file-missing') this.diagnostics.push(read.diagnostic);
        continue;
      }
      const text = read.text;
      const checked = checkScriptText(script.path, text);
      this.diagnostics.push(...checked.diagnostics);
      if (!checked.bash) continue;
      texts.texts.set(script.path, text);
      jobs.push({
        text,
        report: (outcome) => (outcome.kind === 'ok' ? undefined : syntaxDiagnostic(script.path, outcome, textPositions(text), 'this script', `fix the script (bash -n ${script.path} shows the same error)`)),
      });
    }
    return texts;
  }

  /** `./script.sh` in a template, for a script git records as not executable. */
  private scriptRuns(checked: readonly CheckedTemplate[], scripts: readonly Script[]): void {
    if (!scripts.some((s) => s.kind !== 'executable')) return;
    for (const { template, check, namesOf } of checked) {
      check.commands.forEach((command, i) => {
        if (!/\.(sh|bash)\b/.test(command.text)) return;
        for (const run of namesOf(i).runs) {
          if (run.how !== 'direct') continue;
          const script = scriptRunBy(run.path, scripts);
          if (script !== undefined && script.kind !== 'executable') this.diagnostics.push(notExecutableDiagnostic(template.path, command.positionOf(run.index), run.path, script));
        }
      });
    }
  }

  private async variables(
    checked: readonly CheckedTemplate[],
    scripts: readonly Script[],
    scriptTexts: ScriptTexts,
    effective: EffectiveSettings | undefined,
    references: readonly ReferencedFile[],
  ): Promise<Diagnostic[]> {
    if (effective === undefined) return [];
    const locator = new SettingsLocator(this.source, this.settingsFile, references.filter((r) => r.kind === 'csv' && r.exists).map((r) => r.path));
    const diagnostics: Diagnostic[] = [];
    for (const { template, check, namesOf } of checked) {
      if (template.references.length === 0) continue;
      const usage = templateUsage(template.path, check, namesOf, scripts, scriptTexts);
      for (const kind of new Set(template.references.map((r) => r.kind))) {
        diagnostics.push(
          ...(await checkVariablesUsage({
            kind,
            template: usage,
            set: settingsVariables(effective, kind),
            readByScripts: (name) => scriptTexts.mentions(name),
            locate: (name) => locator.locate(kind, name),
          })),
        );
      }
    }
    return diagnostics;
  }

  /** A script larger than MAX_SCRIPT_BYTES is not read: it could not be parsed anyway. */
  private readScript(path: string, size: number | undefined): Promise<TextFileResult> {
    if (size === undefined || size <= MAX_SCRIPT_BYTES) return readTextFile(this.source, path);
    return Promise.resolve({
      ok: false,
      reason: 'too-large',
      diagnostic: buildFilesDiagnostic(path, { line: 1, column: 1 }, 'shell-not-analysed', `${path} is ${size} bytes, more than the ${MAX_SCRIPT_BYTES} bytes spa-cd reads of a script`),
    });
  }

  private async variablesScript(path: string): Promise<Diagnostic[]> {
    const read = await readTextFile(this.source, path);
    return read.ok ? checkVariablesScriptCode(path, read.text) : [];
  }
}

/** What one template reads and sets, across its commands (0.2: one shell for the whole build). */
function templateUsage(file: string, check: BuildspecCheck, namesOf: (i: number) => ShellNames, scripts: readonly Script[], scriptTexts: ScriptTexts): TemplateUsage {
  const reads = new Map<string, Position>();
  const assigned = new Set<string>(check.exported);
  let readsEverything = false;
  check.commands.forEach((command, i) => {
    const found = namesOf(i);
    for (const read of found.reads) if (!reads.has(read.name)) reads.set(read.name, command.positionOf(read.index));
    for (const name of found.assigned) assigned.add(name);
    readsEverything ||= found.dumpsEnvironment;
    // a sourced script sets variables in the build's own shell
    for (const run of found.runs) {
      if (run.how !== 'source') continue;
      const script = scriptRunBy(run.path, scripts);
      for (const name of (script && scriptTexts.namesOf(script.path)?.assigned) ?? []) assigned.add(name);
    }
  });
  return { file, reads, declared: new Set(check.declared.map((d) => d.name)), assigned, readsEverything };
}

/** Where the settings set a variable: settings.yaml under `<kind>.variables`, else a CSV header, else the settings file. */
class SettingsLocator {
  private settingsText: Promise<string | undefined> | undefined;
  private readonly csvTexts = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly source: SettingsSource,
    private readonly settingsFile: string,
    private readonly csvFiles: readonly string[],
  ) {}

  async locate(kind: WorkerKind, name: string): Promise<{ file: string; line: number; column: number }> {
    this.settingsText ??= this.text(this.settingsFile);
    const settings = await this.settingsText;
    const inSettings = settings === undefined ? undefined : locateInSettings(settings, kind, name);
    if (inSettings?.exact) return { file: this.settingsFile, line: inSettings.line, column: inSettings.column };
    for (const csv of this.csvFiles) {
      let text = this.csvTexts.get(csv);
      if (text === undefined) {
        text = this.text(csv);
        this.csvTexts.set(csv, text);
      }
      const header = await text;
      const at = header === undefined ? undefined : locateInCsvHeader(header, kind, name);
      if (at) return { file: csv, ...at };
    }
    return { file: this.settingsFile, line: inSettings?.line ?? 1, column: inSettings?.column ?? 1 };
  }

  private async text(path: string): Promise<string | undefined> {
    const read = await readTextFile(this.source, path);
    return read.ok ? read.text : undefined;
  }
}
