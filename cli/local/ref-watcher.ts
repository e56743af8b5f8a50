/**
 * Turns the refs of a local git repository into the changes CodeCommit would announce: the trunk moving (one
 * change per first-parent commit, as one push per merge), and every branch that differs from the trunk as an open
 * pull request (created, or its source branch updated). What was already announced is kept in a small state file
 * in the data folder, so a restart announces only what happened meanwhile.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { GitSettingsRepository } from '../../shared/adapters/git-settings-repository';
import { isValidRefName } from '../../shared/events/primitives';

/** Above this many trunk commits since the last run, they are announced as one change (old head → new head). */
export const MAX_TRUNK_STEPS = 50;

export interface WatchState {
  readonly version: 1;
  /** The repository this state is about (another repository starts afresh). */
  readonly repo: string;
  /** The trunk branch local mode follows (read by `spa-cd deploy`). */
  trunk?: string;
  trunkHead?: string;
  nextPullRequestId: number;
  branches: Record<string, { pullRequestId: string; head: string }>;
}

export type PlannedChange =
  | { readonly kind: 'trunk'; readonly branch: string; readonly oldCommit?: string; readonly commit: string; readonly caller: string; readonly subject: string }
  | {
      readonly kind: 'pull-request';
      readonly event: 'pullRequestCreated' | 'pullRequestSourceBranchUpdated';
      readonly pullRequestId: string;
      readonly branch: string;
      readonly trunk: string;
      readonly sourceCommit: string;
      readonly destinationCommit: string;
      readonly title: string;
      readonly description: string;
      readonly author: string;
    }
  | { readonly kind: 'pull-request-closed'; readonly branch: string; readonly pullRequestId: string; readonly reason: string };

export class StateFile {
  constructor(readonly path: string) {}

  load(repo: string): WatchState {
    try {
      const value = JSON.parse(readFileSync(this.path, 'utf8')) as Partial<WatchState>;
      if (value.version === 1 && value.repo === repo && typeof value.nextPullRequestId === 'number' && typeof value.branches === 'object' && value.branches !== null) {
        return value as WatchState;
      }
    } catch {
      // No state yet, or unreadable: start afresh (re-announcing is harmless, the handlers are idempotent).
    }
    return { version: 1, repo, nextPullRequestId: 1, branches: {} };
  }

  save(state: WatchState): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(temporary, this.path);
  }
}

/** Branch name → head commit, for every local branch with a valid name. */
export async function readBranches(repository: GitSettingsRepository): Promise<Map<string, string>> {
  const out = await repository.git(['for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads/']);
  const branches = new Map<string, string>();
  for (const line of out.split('\n')) {
    const match = /^([0-9a-f]{40}) refs\/heads\/(.+)$/.exec(line);
    if (match?.[1] === undefined || match[2] === undefined || !isValidRefName(match[2])) continue;
    branches.set(match[2], match[1]);
  }
  return branches;
}

export async function isAncestor(repository: GitSettingsRepository, ancestor: string, descendant: string): Promise<boolean> {
  try {
    await repository.git(['merge-base', '--is-ancestor', ancestor, descendant]);
    return true;
  } catch {
    return false;
  }
}

export async function mergeBase(repository: GitSettingsRepository, a: string, b: string): Promise<string | undefined> {
  try {
    const out = (await repository.git(['merge-base', a, b])).trim();
    return /^[0-9a-f]{40}$/.test(out) ? out : undefined;
  } catch {
    return undefined;
  }
}

async function commitInfo(repository: GitSettingsRepository, commit: string): Promise<{ committer: string; author: string; subject: string }> {
  const out = await repository.git(['log', '-1', '--no-show-signature', '--format=%cn%x00%an%x00%s', commit, '--']);
  const [committer = '', author = '', subject = ''] = out.replace(/\n$/, '').split('\0');
  return { committer, author, subject };
}

/**
 * The changes to announce, oldest first, given the branches now and what was announced before. Pure of side
 * effects: `applyChange` records each one in the state once it has been handled.
 */
export async function plannedChanges(
  repository: GitSettingsRepository,
  state: WatchState,
  branches: ReadonlyMap<string, string>,
  trunk: string,
  principal: (name: string) => string,
): Promise<PlannedChange[]> {
  const changes: PlannedChange[] = [];
  const head = branches.get(trunk);
  if (head !== undefined && head !== state.trunkHead) {
    const old = state.trunkHead;
    let steps: string[] = [head];
    if (old !== undefined && (await isAncestor(repository, old, head))) {
      const out = await repository.git(['rev-list', '--first-parent', '--reverse', `${old}..${head}`]);
      const listed = out.split('\n').filter((l) => /^[0-9a-f]{40}$/.test(l));
      if (listed.length > 0 && listed.length <= MAX_TRUNK_STEPS) steps = listed;
    }
    if (old !== undefined && steps.length > 1) steps = await withoutPullRequestCommits(repository, old, steps, pullRequestHeads(state, branches, trunk));
    let previous = old;
    for (const commit of steps) {
      const info = await commitInfo(repository, commit);
      changes.push({ kind: 'trunk', branch: trunk, ...(previous !== undefined ? { oldCommit: previous } : {}), commit, caller: principal(info.committer), subject: info.subject });
      previous = commit;
    }
  }
  for (const [name, known] of Object.entries(state.branches)) {
    if (!branches.has(name)) changes.push({ kind: 'pull-request-closed', branch: name, pullRequestId: known.pullRequestId, reason: 'branch deleted' });
  }
  if (head === undefined) return changes;
  let nextId = state.nextPullRequestId;
  for (const [name, commit] of [...branches.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (name === trunk) continue;
    const known = state.branches[name];
    if (await isAncestor(repository, commit, head)) {
      if (known !== undefined) changes.push({ kind: 'pull-request-closed', branch: name, pullRequestId: known.pullRequestId, reason: `merged into ${trunk}` });
      continue;
    }
    if (known !== undefined && known.head === commit) continue;
    const base = (await mergeBase(repository, head, commit)) ?? head;
    const log = await repository.git(['log', '--reverse', '--no-show-signature', '--format=%s', `${base}..${commit}`, '--']);
    const subjects = log.split('\n').filter((l) => l.trim() !== '');
    const info = await commitInfo(repository, commit);
    changes.push({
      kind: 'pull-request',
      event: known === undefined ? 'pullRequestCreated' : 'pullRequestSourceBranchUpdated',
      pullRequestId: known?.pullRequestId ?? String(nextId++),
      branch: name,
      trunk,
      sourceCommit: commit,
      destinationCommit: head,
      title: (subjects[0] ?? name).slice(0, 200),
      description: subjects.map((s) => `- ${s}`).join('\n').slice(0, 10_000),
      author: principal(info.author),
    });
  }
  return changes;
}

/** The source commits of the open pull requests (as announced, and as their branches are now): what a merge brings. */
function pullRequestHeads(state: WatchState, branches: ReadonlyMap<string, string>, trunk: string): Set<string> {
  const heads = new Set<string>();
  for (const [name, known] of Object.entries(state.branches)) {
    if (name === trunk) continue;
    heads.add(known.head);
    const now = branches.get(name);
    if (now !== undefined) heads.add(now);
  }
  return heads;
}

/**
 * A pull request merged by fast-forward moves the trunk once, to its source commit (one CodeCommit event), not once
 * per commit of the branch: the commits a pull request head brings are left out of the steps, its head stays.
 */
async function withoutPullRequestCommits(repository: GitSettingsRepository, old: string, steps: string[], heads: ReadonlySet<string>): Promise<string[]> {
  const covered = new Set<string>();
  for (const commit of steps) {
    if (!heads.has(commit)) continue;
    const out = await repository.git(['rev-list', `${old}..${commit}`]);
    for (const line of out.split('\n')) if (/^[0-9a-f]{40}$/.test(line) && line !== commit) covered.add(line);
  }
  return covered.size === 0 ? steps : steps.filter((commit) => !covered.has(commit));
}

/** Records a handled change in the state. */
export function applyChange(state: WatchState, change: PlannedChange): void {
  switch (change.kind) {
    case 'trunk':
      state.trunkHead = change.commit;
      break;
    case 'pull-request':
      state.branches[change.branch] = { pullRequestId: change.pullRequestId, head: change.sourceCommit };
      state.nextPullRequestId = Math.max(state.nextPullRequestId, Number(change.pullRequestId) + 1);
      break;
    case 'pull-request-closed':
      delete state.branches[change.branch];
      break;
  }
}
