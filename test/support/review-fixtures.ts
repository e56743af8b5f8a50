/**
 * Settings repositories for the pull request review tests and benchmark: valid SPA settings, and settings with a
 * chosen number of errors, each on its own line (an account identifier written as a number instead of a string).
 */
import { parseEvent, type PullRequestStateChangeEvent } from '../../shared/events';
import { awsEvent } from './aws-events';
import type { Files } from './fake-codecommit';
import { MANIFEST, VALID_SETTINGS } from './settings-text';

export { MANIFEST, SPA_COMMIT } from './settings-text';

const HEADER = VALID_SETTINGS;

/** Lines before the first added account (1-based line of the first one is this + 1). */
export const FIRST_ACCOUNT_LINE = HEADER.split('\n').length;

export interface SettingsOptions {
  /** Accounts whose identifier is an unquoted number: one error each, on the line of `- identifier:`. */
  readonly badAccounts?: readonly number[];
  /** Valid accounts added (quoted identifiers). */
  readonly goodAccounts?: readonly number[];
  /** The note of the first account (hostile content tests). */
  readonly note?: string;
}

/** SPA settings; each bad account is one error on its own line, in the order given. */
export function settingsYaml(options: SettingsOptions = {}): string {
  let text = options.note === undefined ? HEADER : HEADER.replace('note: a sandbox', `note: ${JSON.stringify(options.note)}`);
  for (const n of options.goodAccounts ?? []) text += `  - identifier: '${accountNumber(n)}'\n`;
  for (const n of options.badAccounts ?? []) text += `  - identifier: ${accountNumber(n)}\n`;
  return text;
}

/** The line of the `i`-th bad account (0-based) when there are `good` good accounts before. */
export function badAccountLine(i: number, good = 0): number {
  return FIRST_ACCOUNT_LINE + good + i;
}

export function accountNumber(n: number): string {
  return String(100_000_000_000 + n);
}

/** A repository of environments, each `environments/<env>/settings.yaml` + `deployment.yaml`, plus a README. */
export function repositoryFiles(environments: Record<string, SettingsOptions | string>, extra: Files = {}): Files {
  const files: Files = { 'README.md': '# settings\n', ...extra };
  for (const [name, settings] of Object.entries(environments)) {
    files[`environments/${name}/settings.yaml`] = typeof settings === 'string' ? settings : settingsYaml(settings);
    files[`environments/${name}/deployment.yaml`] = MANIFEST;
  }
  return files;
}

/** A pull request state change from the AWS documentation sample, for these commits. */
export function pullRequestEvent(
  name: 'pullRequestCreated' | 'pullRequestSourceBranchUpdated' | 'pullRequestStatusChanged' | 'pullRequestMergeStatusUpdated',
  fields: { sourceCommit: string; destinationCommit: string; revisionId: string; pullRequestId?: string; title?: string; pullRequestStatus?: 'Open' | 'Closed'; destinationReference?: string; time?: string },
): PullRequestStateChangeEvent {
  const raw = awsEvent(`codecommit-pull-request-state-change.${name}.json`, (event) => {
    Object.assign(event.detail, {
      sourceCommit: fields.sourceCommit,
      destinationCommit: fields.destinationCommit,
      revisionId: fields.revisionId,
      pullRequestId: fields.pullRequestId ?? '1',
      ...(fields.title !== undefined ? { title: fields.title } : {}),
      ...(fields.pullRequestStatus !== undefined ? { pullRequestStatus: fields.pullRequestStatus } : {}),
      ...(fields.destinationReference !== undefined ? { destinationReference: fields.destinationReference } : {}),
    });
    if (fields.time !== undefined) event.time = fields.time;
  });
  const parsed = parseEvent('pull-request-state-change', raw);
  if (!parsed.ok) throw new Error(`test event does not parse: ${parsed.reason}`);
  return parsed.event;
}
