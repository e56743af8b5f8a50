import { countBySeverity, sortDiagnostics, type Diagnostic } from '../domain/settings/diagnostics';
import type { EffectiveItem } from '../domain/settings/effective-settings';
import type { SettingsValue } from '../domain/settings/settings-value';
import { mergeWillDeploy, type MergeOutcome } from '../domain/plan/merge-outcome';
import { environmentDiff, type EnvironmentPlan, type Plan } from '../domain/plan/plan';
import { compareStrings, type ItemChange, type ItemsDiff, type MappingDiff, type SectionDiff, type SettingsDiff } from '../domain/plan/settings-diff';
import { diffVersion, type VersionDiff, type VersionSide } from '../domain/plan/version-diff';
import { code, escapeInline, sliceSafely, truncate } from './markdown-escape';
import { formatValue } from './settings-value-format';
import { plural } from './plural';
import { shellOption } from './shell-quote';

/** First line of every summary comment: how the controller finds its own comment to update it in place. */
export const SUMMARY_MARKER = '<!-- spa-cd:summary -->';
export const DEFAULT_HEADER = '## spa-cd plan';
/**
 * CodeCommit's limit for a comment (`CommentContentSizeLimitExceededException` above it): 10,240 characters.
 * Assumption: CodeCommit counts UTF-16 code units (a Java service's `String.length()`) or code points. We measure
 * `.length` (UTF-16 code units), which is never less than the number of code points, so the cap holds in both
 * cases. Were CodeCommit to count UTF-8 bytes, pass `measure: (s) => Buffer.byteLength(s)`.
 */
export const CODECOMMIT_COMMENT_MAX_CHARS = 10_240;

export interface RenderPlanOptions {
  /** Hard cap of the result, as counted by `measure` (default 10,240, CodeCommit's limit). `Infinity` for no cap. */
  maxChars?: number;
  /** The title line under the marker (trusted markdown written by the caller; default `## spa-cd plan`). */
  header?: string;
  /** How the cap is counted (default: UTF-16 code units, `text.length`). Must be additive over concatenation. */
  measure?: (text: string) => number;
}

/** Whether a comment is a summary comment written by `renderPlanMarkdown` (the marker is its first line). */
export function isSummaryComment(content: string | undefined): boolean {
  return typeof content === 'string' && content.startsWith(SUMMARY_MARKER);
}

/**
 * The pull request summary (and the output of `spa-cd plan`). Never longer than `maxChars`; when the full report
 * does not fit it degrades in this order: collapse every details section, list identifiers instead of change
 * tables, keep only counts, show fewer diagnostics per environment ("… and N more"), and finally cut whole lines
 * with a visible "✂ truncated" note. The first lines (marker, title, overall verdict with error counts) always stay.
 * Every value from the repository or an event is escaped. Never throws.
 */
export function renderPlanMarkdown(plan: Plan, options: RenderPlanOptions = {}): string {
  const max = normaliseMax(options.maxChars);
  const measure = options.measure ?? codeUnits;
  try {
    return render(plan, max, measure, options.header ?? DEFAULT_HEADER);
  } catch {
    // A bug must not cost the pull request its summary: say so, within the cap.
    const text = [SUMMARY_MARKER, DEFAULT_HEADER, '⚠ spa-cd could not render this plan; run `spa-cd plan` locally for the report.'].join('\n');
    return fitHard(text, max, measure);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Degradation levels

interface Level {
  /** `auto`: details sections are collapsed when long; `all`: always. */
  readonly collapse: 'auto' | 'all';
  /** `tables`: every change; `lists`: identifiers and attribute paths only; `counts`: no details section. */
  readonly items: 'tables' | 'lists' | 'counts';
  /** Diagnostics shown per environment. */
  readonly diagnostics: number;
  /** Changed paths outside environments/ listed. */
  readonly paths: number;
}

const LEVELS: readonly Level[] = [
  { collapse: 'auto', items: 'tables', diagnostics: Infinity, paths: 50 },
  { collapse: 'all', items: 'tables', diagnostics: Infinity, paths: 50 },
  { collapse: 'all', items: 'lists', diagnostics: Infinity, paths: 20 },
  { collapse: 'all', items: 'counts', diagnostics: Infinity, paths: 10 },
  ...[100, 50, 20, 10, 5, 3, 1].map((diagnostics): Level => ({ collapse: 'all', items: 'counts', diagnostics, paths: 5 })),
];

/** A details body longer than this is collapsed even at the first level. */
const AUTO_COLLAPSE_LINES = 25;
/**
 * Identifiers per line in `lists` mode: one list item per line, so the cut drops whole lines, and no line starts
 * with a code span (a long backtick fence at the start of a line must never look like a code block fence).
 */
const IDS_PER_LINE = 10;

/** Caps applied to every echoed value before escaping (UTF-16 code units). */
const CAP = {
  name: 64,
  path: 200,
  ref: 100,
  identifier: 64,
  key: 100,
  value: 100,
  message: 400,
  hint: 200,
  title: 150,
  reason: 200,
  diagnosticCode: 64,
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Rendering

type Measure = (text: string) => number;

/** Lines with a running size; `full` once they exceed the limit, so a level that cannot fit stops early. */
class Lines {
  readonly lines: string[] = [];
  private size = 0;

  constructor(
    readonly limit: number,
    readonly measure: Measure,
  ) {}

  get full(): boolean {
    return this.size > this.limit;
  }

  get count(): number {
    return this.lines.length;
  }

  push(...lines: string[]): void {
    for (const line of lines) {
      this.lines.push(line);
      this.size += this.measure(line) + 1;
    }
  }

  append(other: Lines): void {
    this.push(...other.lines);
  }
}

/** What is computed once per plan, whatever the level. */
interface EnvironmentFacts {
  readonly env: EnvironmentPlan;
  readonly diagnostics: Diagnostic[];
  readonly errors: number;
  readonly warnings: number;
  readonly version: VersionDiff;
  readonly outcome: MergeOutcome;
  readonly diff?: SettingsDiff;
}

interface Facts {
  readonly plan: Plan;
  readonly environments: EnvironmentFacts[];
  readonly errors: number;
  readonly warnings: number;
  readonly invalid: number;
  /** The command that prints the full report. */
  readonly fullReportCommand: string;
}

function render(plan: Plan, max: number, measure: Measure, header: string): string {
  const facts = collectFacts(plan);
  const head = [SUMMARY_MARKER, truncate(String(header).replace(/[\r\n]+/g, ' '), 200), verdictLine(facts)];
  let last: Lines | undefined;
  for (const [index, level] of LEVELS.entries()) {
    const body = new Lines(max, measure);
    renderBody(facts, level, index > 1, body);
    const text = [...head, ...body.lines].join('\n');
    if (!body.full && measure(text) <= max) return text;
    last = body;
  }
  return cut(head, last?.lines ?? [], facts, max, measure);
}

function collectFacts(plan: Plan): Facts {
  const environments = plan.environments.map((env): EnvironmentFacts => {
    const diagnostics = sortDiagnostics(env.diagnostics).sort((a, b) => severityRank(a) - severityRank(b));
    const counts = countBySeverity(env.diagnostics);
    const diff = environmentDiff(env);
    return {
      env,
      diagnostics,
      errors: counts.errors,
      warnings: counts.warnings,
      version: diffVersion(env.base, env.head),
      outcome: mergeWillDeploy(env),
      ...(diff ? { diff } : {}),
    };
  });
  // Invalid environments first (a cut keeps what matters most), then by name.
  environments.sort((a, b) => Number(a.env.valid) - Number(b.env.valid) || compareStrings(String(a.env.name), String(b.env.name)));
  const errors = environments.reduce((n, e) => n + e.errors, 0);
  const warnings = environments.reduce((n, e) => n + e.warnings, 0);
  const invalid = environments.filter((e) => !e.env.valid).length;
  const fullReportCommand = `spa-cd plan ${shellOption('base', commitOrRef(plan.base))} ${shellOption('head', commitOrRef(plan.head))}`;
  return { plan, environments, errors, warnings, invalid, fullReportCommand };
}

/** Shown whenever something was left out (not when details were only collapsed). */
function truncationNote(facts: Facts, shownEnvironments?: number, alwaysCount = false): string {
  const total = facts.environments.length;
  const counted = shownEnvironments !== undefined && (alwaysCount || shownEnvironments < total);
  const shown = counted ? ` (${shownEnvironments} of ${total} environments shown)` : '';
  return `✂ truncated to fit the comment size limit${shown}: run ${code(facts.fullReportCommand)} for the full report`;
}

function verdictLine(facts: Facts): string {
  const n = facts.environments.length;
  const findings = findingsText(facts.errors, facts.warnings);
  if (n === 0) return `✅ **No environment affected**: nothing to deploy${facts.warnings ? ` · ${findings}` : ''}`;
  if (facts.invalid > 0) return `❌ **${facts.invalid} of ${plural(n, 'affected environment')} invalid** · ${findings}`;
  const what = n === 1 ? 'The affected environment is valid' : `All ${n} affected environments valid`;
  return `✅ **${what}**${facts.warnings ? ` · ${findings}` : ''}`;
}

/** `condensed`: this level leaves something out, so the output ends with the truncation note. */
function renderBody(facts: Facts, level: Level, condensed: boolean, out: Lines): void {
  const { plan } = facts;
  out.push('');
  if (plan.context) {
    const ctx = plan.context;
    const title = ctx.title !== undefined && String(ctx.title) !== '' ? `: ${escapeInline(ctx.title, CAP.title)}` : '';
    out.push(`Pull request ${code(ctx.pullRequestId, { max: CAP.ref })}${title}  `);
    const revision = ctx.revisionId !== undefined ? `, revision ${code(ctx.revisionId, { max: CAP.ref })}` : '';
    out.push(`Reviewed commit ${code(ctx.reviewedCommit, { max: CAP.ref })} into ${code(ctx.trunk, { max: CAP.ref })}${revision}  `);
    if (ctx.gating) {
      out.push(facts.invalid === 0 ? 'Approval: **approved** by spa-cd (all affected environments valid)  ' : 'Approval: **revoked** by spa-cd (invalid settings)  ');
    }
  }
  out.push(`Compared ${refText(plan.base)} → ${refText(plan.head)}`);
  const paths = Array.isArray(plan.unaffectedChanges) ? plan.unaffectedChanges : [];
  if (paths.length > 0) {
    out.push('', `Changes outside \`environments/\` (they deploy nothing): ${plural(paths.length, 'path')}`);
    for (const p of paths.slice(0, level.paths)) out.push(`- ${code(p, { max: CAP.path })}`);
    if (paths.length > level.paths) out.push(`- … and ${paths.length - level.paths} more`);
  }
  for (const env of facts.environments) {
    if (out.full) return;
    renderEnvironment(env, level, out);
  }
  if (condensed) out.push('', truncationNote(facts));
}

function renderEnvironment(facts: EnvironmentFacts, level: Level, out: Lines): void {
  const { env } = facts;
  const state = env.head === undefined ? ' (removed)' : env.base === undefined ? ' (new environment)' : '';
  out.push('', `### ${env.valid ? '✅' : '❌'} ${code(env.name, { max: CAP.name })}${state}: ${env.valid ? 'valid' : 'invalid'}`);
  out.push(`Folder ${code(env.path, { max: CAP.path })} · ${facts.errors + facts.warnings === 0 ? 'no findings' : findingsText(facts.errors, facts.warnings)}`);

  if (facts.diagnostics.length > 0) {
    out.push('');
    const shown = facts.diagnostics.slice(0, level.diagnostics);
    for (const d of shown) {
      if (out.full) return;
      out.push(`- ${diagnosticLine(d)}`);
    }
    const rest = facts.diagnostics.slice(shown.length);
    if (rest.length > 0) {
      const c = countBySeverity(rest);
      out.push(`- … and ${rest.length} more (${findingsText(c.errors, c.warnings)})`);
    }
  }

  out.push('', `- **SPA version:** ${versionText(facts.version)}`);
  const flags = flagsText(facts);
  if (flags) out.push(`- **Manifest:** ${flags}`);
  out.push(`- **Merge will:** ${outcomeText(facts.outcome)}`);
  out.push(`- **Blast radius:** ${blastRadiusText(facts)}`);

  if (facts.diff && level.items !== 'counts' && hasDetails(facts.diff)) renderDetails(facts.diff, level, out);
}

function diagnosticLine(d: Diagnostic): string {
  const where = `${String(d.file)}:${String(d.line)}:${String(d.column)}`;
  const hint = d.hint !== undefined && String(d.hint) !== '' ? ` (${escapeInline(d.hint, CAP.hint)})` : '';
  const severity = d.severity === 'error' ? 'error' : 'warning';
  return `${code(where, { max: CAP.path + 24 })} **${severity}** ${code(d.code, { max: CAP.diagnosticCode })} ${escapeInline(d.message, CAP.message)}${hint}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Summary lines

function versionText(v: VersionDiff): string {
  if (v.after === undefined && v.before === undefined) return '_none_';
  if (v.before === undefined) return `${sideText(v.after)} (new environment)`;
  if (v.after === undefined) return `${sideText(v.before)} (environment removed)`;
  if (!v.pinChanged && !v.commitChanged) return `${sideText(v.after)}, unchanged`;
  if (!v.pinChanged && v.commitChanged) {
    return `${pinText(v.after)} moved: ${shortCommit(v.before.commit)} → ${shortCommit(v.after.commit)}${resolutionNote(v.after)}`;
  }
  return `${sideText(v.before)} → ${sideText(v.after)}`;
}

function pinText(side: VersionSide | undefined): string {
  return side?.pin !== undefined ? code(side.pin, { max: CAP.ref }) : '_no SPA version_';
}

function sideText(side: VersionSide | undefined): string {
  if (side === undefined) return '_none_';
  const pin = pinText(side);
  if (side.pin === undefined) return pin;
  const r = side.resolved;
  if (r === undefined) return side.commit !== undefined ? pin : `${pin} (unresolved)`;
  switch (r.kind) {
    case 'tag':
      return `${pin} (${shortCommit(r.commit)})`;
    case 'branch':
      return `${pin} (branch at ${shortCommit(r.commit)}, floating)`;
    case 'commit':
      return r.advertised ? pin : `${pin} (not advertised by the code repository)`;
    case 'unknown':
      return `${pin} (⚠ not found on the code repository)`;
    case 'unresolved':
      return `${pin} (unresolved: ${escapeInline(r.reason, CAP.reason)})`;
    default:
      return `${pin} (unresolved)`;
  }
}

function resolutionNote(side: VersionSide): string {
  return side.resolved?.kind === 'branch' ? ' (floating branch)' : side.resolved?.kind === 'tag' ? ' (the tag was moved)' : '';
}

function shortCommit(commit: string | undefined): string {
  if (commit === undefined) return '_unresolved_';
  const text = String(commit);
  return code(/^[0-9a-f]{40}$/i.test(text) ? text.slice(0, 7) : text, { max: 40 });
}

function flagsText(facts: EnvironmentFacts): string {
  const { env, version } = facts;
  if (env.base !== undefined && env.head !== undefined) {
    return version.flags.map((f) => `${f.flag}: \`${String(f.before)}\` → \`${String(f.after)}\``).join(', ');
  }
  const head = env.head;
  if (env.base === undefined && head !== undefined) {
    const notable: string[] = [];
    if (!head.autoDeploy) notable.push('auto_deploy: `false`');
    if (head.frozen) notable.push('frozen: `true`');
    if (head.allowFloatingVersion) notable.push('allow_floating_version: `true`');
    return notable.join(', ');
  }
  return '';
}

function outcomeText(outcome: MergeOutcome): string {
  const name = code(outcome.environment, { max: CAP.name });
  switch (outcome.kind) {
    case 'deploy': {
      const version = outcome.spaVersion !== undefined ? code(outcome.spaVersion, { max: CAP.ref }) : '_no SPA version_';
      const commit = outcome.spaCommit !== undefined ? `commit ${shortCommit(outcome.spaCommit)}` : 'commit resolved at deploy time';
      const warn =
        outcome.resolution === 'unknown'
          ? ' ⚠ the code repository has no such version: the build will fail'
          : outcome.resolution === 'branch'
            ? ' ⚠ floating branch: the commit is taken when the build starts'
            : '';
      return `deploy ${name} with SPA ${version} (${commit})${warn}`;
    }
    case 'pending':
      return `be recorded **PENDING** (auto_deploy: \`false\`): nothing is deployed until ${code(`spa-cd deploy ${shellOption('env', String(outcome.environment))}`, { max: 300 })}`;
    case 'frozen':
      return 'be **blocked**: the environment is frozen (`frozen: true`), nothing is deployed';
    case 'rejected':
      return `be **REJECTED**: invalid settings (${plural(outcome.errors, 'error')}), nothing is deployed`;
    case 'removed':
      return 'nothing: the environment is removed, there is nothing to deploy';
    default:
      return '_unknown_';
  }
}

function blastRadiusText(facts: EnvironmentFacts): string {
  const diff = facts.diff;
  if (diff === undefined) {
    const side = facts.env.head !== undefined && facts.env.head.effective === undefined ? 'new' : 'old';
    return `not computed: the ${side} settings could not be loaded`;
  }
  const parts: string[] = [];
  if (diff.blastRadius.accounts > 0) parts.push(`${plural(diff.blastRadius.accounts, 'account')} (${breakdown(diff.accounts)})`);
  if (diff.blastRadius.organizationalUnits > 0) {
    parts.push(`${plural(diff.blastRadius.organizationalUnits, 'organizational unit')} (${breakdown(diff.organizationalUnits)})`);
  }
  const attributes = diff.attributes.length > 0 ? `${plural(diff.attributes.length, 'attribute change')}` : '';
  if (parts.length === 0) return attributes ? `no account or organizational unit changed; ${attributes}` : 'effective settings unchanged';
  return `${parts.join(', ')}${attributes ? `; ${attributes}` : ''}`;
}

function breakdown(items: ItemsDiff): string {
  const parts: string[] = [];
  if (items.added.length) parts.push(`${items.added.length} added`);
  if (items.removed.length) parts.push(`${items.removed.length} removed`);
  if (items.changed.length) parts.push(`${items.changed.length} changed`);
  return parts.join(', ');
}

// ---------------------------------------------------------------------------------------------------------------
// Details

function hasDetails(diff: SettingsDiff): boolean {
  return diff.attributes.length > 0 || diff.blastRadius.accounts > 0 || diff.blastRadius.organizationalUnits > 0;
}

function renderDetails(diff: SettingsDiff, level: Level, out: Lines): void {
  // Rendered apart first, to know its length; bounded like the whole output (a longer body cannot fit anyway).
  const target = new Lines(out.limit, out.measure);
  if (level.items === 'tables') renderTables(diff, target);
  else renderLists(diff, target);
  if (target.full) {
    out.push(...target.lines);
    return;
  }
  const parts: string[] = [];
  if (diff.blastRadius.accounts) parts.push(plural(diff.blastRadius.accounts, 'account'));
  if (diff.blastRadius.organizationalUnits) parts.push(plural(diff.blastRadius.organizationalUnits, 'organizational unit'));
  if (diff.attributes.length) parts.push(plural(diff.attributes.length, 'attribute'));
  const collapse = level.collapse === 'all' || target.count > AUTO_COLLAPSE_LINES;
  if (collapse) {
    // The body starts with a blank line, which markdown needs after the HTML line.
    out.push('', `<details><summary>Changes: ${parts.join(', ')}</summary>`);
    out.append(target);
    out.push('', '</details>');
  } else {
    out.append(target);
  }
}

function renderTables(diff: SettingsDiff, out: Lines): void {
  if (diff.attributes.length > 0) {
    out.push('', `**Attributes** (${diff.attributes.length})`, '', '| attribute | change | before | after |', '|---|---|---|---|');
    for (const change of diff.attributes) {
      if (out.full) return;
      const path = code(change.path.map(String).join('.'), { table: true, max: CAP.key * 2 });
      out.push(`| ${path} | ${change.kind} | ${cell(change.before)} | ${cell(change.after)} |`);
    }
  }
  renderItemTables(diff.accounts, 'Accounts', 'account', out);
  renderItemTables(diff.organizationalUnits, 'Organizational units', 'organizational unit', out);
}

function renderItemTables(items: ItemsDiff, title: string, noun: string, out: Lines): void {
  for (const [label, list] of [
    ['added', items.added],
    ['removed', items.removed],
  ] as const) {
    if (list.length === 0) continue;
    out.push('', `**${title} ${label}** (${list.length})`, '', `| ${noun} | preparation | purge | tags | note |`, '|---|---|---|---|---|');
    for (const item of list) {
      if (out.full) return;
      out.push(`| ${idCell(item)} | ${featureCell(item.preparation)} | ${featureCell(item.purge)} | ${tagCount(item)} | ${noteCell(item.note)} |`);
    }
  }
  if (items.changed.length === 0) return;
  out.push('', `**${title} changed** (${items.changed.length})`, '', `| ${noun} | change | key | before | after |`, '|---|---|---|---|---|');
  for (const change of items.changed) {
    if (out.full) return;
    const id = code(change.identifier, { table: true, max: CAP.identifier });
    for (const row of changeRows(change)) out.push(`| ${id} | ${row} |`);
  }
}

/** Rows (without the identifier column) describing one item's change. */
function changeRows(change: ItemChange): string[] {
  const rows: string[] = [];
  mappingRows(change.tags, 'tag', rows);
  sectionRows(change.preparation, 'preparation', rows);
  sectionRows(change.purge, 'purge', rows);
  if (change.note) rows.push(`note | | ${cell(change.note.before)} | ${cell(change.note.after)}`);
  if (change.unsetTags) rows.push(`unset_tags | | ${cell(change.unsetTags.before)} | ${cell(change.unsetTags.after)}`);
  mappingRows(change.other, 'key', rows);
  return rows;
}

function sectionRows(section: SectionDiff, name: string, rows: string[]): void {
  if (section.feature) rows.push(`${name} feature | | ${cell(section.feature.before)} | ${cell(section.feature.after)}`);
  mappingRows(section.variables, `${name} variable`, rows);
  mappingRows(section.other, `${name} key`, rows);
}

function mappingRows(diff: MappingDiff, what: string, rows: string[]): void {
  const key = (k: string): string => code(k, { table: true, max: CAP.key });
  for (const e of diff.added) rows.push(`${what} added | ${key(e.key)} | — | ${cell(e.value)}`);
  for (const e of diff.removed) rows.push(`${what} removed | ${key(e.key)} | ${cell(e.value)} | —`);
  for (const e of diff.changed) rows.push(`${what} changed | ${key(e.key)} | ${cell(e.before)} | ${cell(e.after)}`);
}

function renderLists(diff: SettingsDiff, out: Lines): void {
  if (diff.attributes.length > 0) {
    out.push('', `**Attributes** (${diff.attributes.length}):`);
    pushChunks(
      diff.attributes.map((c) => `${code(c.path.map(String).join('.'), { max: CAP.key * 2 })} ${c.kind}`),
      out,
    );
  }
  for (const [title, items] of [
    ['Accounts', diff.accounts],
    ['Organizational units', diff.organizationalUnits],
  ] as const) {
    for (const [label, ids] of [
      ['added', items.added.map((i) => i.identifier)],
      ['removed', items.removed.map((i) => i.identifier)],
      ['changed', items.changed.map((i) => i.identifier)],
    ] as const) {
      if (ids.length === 0) continue;
      out.push('', `**${title} ${label}** (${ids.length}):`);
      pushChunks(
        ids.map((id) => code(id, { max: CAP.identifier })),
        out,
      );
    }
  }
}

function pushChunks(entries: string[], out: Lines): void {
  for (let i = 0; i < entries.length; i += IDS_PER_LINE) {
    if (out.full) return;
    const last = i + IDS_PER_LINE >= entries.length;
    out.push(`- ${entries.slice(i, i + IDS_PER_LINE).join(', ')}${last ? '' : ','}`);
  }
}

function cell(value: SettingsValue | undefined): string {
  return value === undefined ? '—' : code(formatValue(value, CAP.value), { table: true });
}

function idCell(item: EffectiveItem): string {
  return code(item.identifier, { table: true, max: CAP.identifier });
}

function featureCell(section: EffectiveItem['preparation'] | undefined): string {
  return section !== null && typeof section === 'object' && 'feature' in section ? cell(section.feature) : '—';
}

function tagCount(item: EffectiveItem): string {
  const tags = item.account_tags;
  return tags !== null && typeof tags === 'object' && !Array.isArray(tags) ? String(Object.keys(tags).length) : '—';
}

function noteCell(note: SettingsValue | undefined): string {
  if (note === undefined || note === null) return '';
  return typeof note === 'string' ? escapeInline(note, CAP.value) : cell(note);
}

// ---------------------------------------------------------------------------------------------------------------
// The last resort: cut whole lines

function cut(head: string[], body: string[], facts: Facts, max: number, measure: Measure): string {
  const closer = '\n\n</details>';
  const kept = [...head];
  let used = measure(head.join('\n'));
  // Sized with the longest wording ("N of N environments shown"); the real note is never longer.
  const tailSize = measure(`\n\n${truncationNote(facts, facts.environments.length, true)}`);
  const closerSize = measure(closer);
  let open = 0;
  for (const line of body) {
    const opens = line.startsWith('<details>') ? 1 : line === '</details>' ? -1 : 0;
    const depth = Math.max(0, open + opens);
    const size = measure(`\n${line}`);
    if (used + size + depth * closerSize + tailSize > max) break;
    kept.push(line);
    used += size;
    open = depth;
  }
  // No dangling section: drop trailing blank lines, and a heading cut off from everything it introduces.
  const isBlank = (): boolean => kept.length > head.length && kept.at(-1) === '';
  while (isBlank()) kept.pop();
  if (kept.length > head.length + 1 && (kept.at(-2) ?? '').startsWith('### ') && open === 0) kept.splice(-2, 2);
  while (isBlank()) kept.pop();
  const shown = kept.filter((line) => line.startsWith('### ')).length;
  const note = truncationNote(facts, shown);
  let text = `${kept.join('\n')}${closer.repeat(open)}\n\n${note}`;
  if (measure(text) > max) text = `${SUMMARY_MARKER}\n${head[2] ?? ''}\n\n${note}`;
  return fitHard(text, max, measure);
}

/** Guarantees the cap whatever happened: cuts the text (at a code point boundary) until it fits. */
function fitHard(text: string, max: number, measure: Measure): string {
  if (measure(text) <= max) return text;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (measure(sliceSafely(text, mid)) <= max) low = mid;
    else high = mid - 1;
  }
  return sliceSafely(text, low);
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

function normaliseMax(max: number | undefined): number {
  if (max === undefined) return CODECOMMIT_COMMENT_MAX_CHARS;
  if (Number.isNaN(max) || max < 0) return 0;
  return max === Infinity ? Number.POSITIVE_INFINITY : Math.floor(max);
}

function codeUnits(text: string): number {
  return text.length;
}

function severityRank(d: Diagnostic): number {
  return d.severity === 'error' ? 0 : 1;
}



function findingsText(errors: number, warnings: number): string {
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}

function refText(side: { ref: string; commit: string }): string {
  return `${code(side.ref, { max: CAP.ref })} (${shortCommit(side.commit)})`;
}

/** The full commit when it is one (exact and shell-safe), else the ref. */
function commitOrRef(side: { ref: string; commit: string }): string {
  const commit = String(side.commit);
  return /^[0-9a-f]{4,64}$/i.test(commit) ? commit : truncate(String(side.ref), CAP.ref);
}
