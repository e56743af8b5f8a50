import { GitSettingsRepository } from '../../shared/adapters/git-settings-repository';
import { applyChange, MAX_TRUNK_STEPS, plannedChanges, readBranches, type WatchState } from '../../cli/local/ref-watcher';
import { GitWorkTree } from '../support/git-work-tree';

const principal = (name: string): string => `arn:aws:iam::000000000000:user/${name.replace(/\W+/g, '-')}`;

describe('Module: ref-watcher', () => {
  let tree: GitWorkTree;
  let repository: GitSettingsRepository;
  let state: WatchState;

  beforeEach(() => {
    tree = new GitWorkTree('spa-cd-watch-');
    tree.write('environments/sandbox/settings.yaml', 'a: 1\n');
    tree.commit('first');
    repository = new GitSettingsRepository(tree.dir);
    state = { version: 1, repo: tree.dir, nextPullRequestId: 1, branches: {} };
  });
  afterEach(() => tree.cleanup());

  async function plan() {
    return plannedChanges(repository, state, await readBranches(repository), 'main', principal);
  }

  async function handleAll() {
    const changes = await plan();
    for (const change of changes) applyChange(state, change);
    return changes;
  }

  it('announces the trunk as created on the first run, with its committer', async () => {
    const changes = await plan();

    expect(changes).toEqual([{ kind: 'trunk', branch: 'main', commit: tree.git('rev-parse', 'HEAD'), caller: principal('Test'), subject: 'first' }]);
  });

  it('announces each trunk commit since the last run, oldest first, each from the previous one', async () => {
    await handleAll();
    const first = tree.git('rev-parse', 'HEAD');
    const commits = [1, 2, 3].map((n) => tree.write('environments/sandbox/settings.yaml', `a: ${n + 1}\n`).commit(`change ${n}`));

    const changes = await plan();

    expect(changes.map((c) => (c.kind === 'trunk' ? [c.oldCommit, c.commit] : []))).toEqual([
      [first, commits[0]],
      [commits[0], commits[1]],
      [commits[1], commits[2]],
    ]);
  });

  it('announces a rewritten trunk (not a fast-forward) as one change from the old head', async () => {
    await handleAll();
    const old = tree.git('rev-parse', 'HEAD');
    tree.git('commit', '-q', '--amend', '-m', 'rewritten');
    const rewritten = tree.git('rev-parse', 'HEAD');

    const changes = await plan();

    expect(changes).toEqual([expect.objectContaining({ kind: 'trunk', oldCommit: old, commit: rewritten })]);
  });

  it('announces too many commits at once as one change', async () => {
    await handleAll();
    const old = tree.git('rev-parse', 'HEAD');
    for (let n = 0; n <= MAX_TRUNK_STEPS; n += 1) tree.commit(`empty ${n}`);

    const changes = await plan();

    expect(changes).toEqual([expect.objectContaining({ kind: 'trunk', oldCommit: old, commit: tree.git('rev-parse', 'HEAD') })]);
  });

  it('opens a pull request for a branch that differs from the trunk, then updates it when the branch moves', async () => {
    await handleAll();
    tree.git('checkout', '-q', '-b', 'feature/x');
    const source = tree.write('environments/sandbox/settings.yaml', 'a: 5\n').commit('raise a');
    tree.git('checkout', '-q', 'main');

    const opened = await handleAll();
    const unchanged = await plan();
    tree.git('checkout', '-q', 'feature/x');
    const moved = tree.write('environments/sandbox/settings.yaml', 'a: 6\n').commit('raise a more');
    tree.git('checkout', '-q', 'main');
    const updated = await plan();

    expect(opened).toEqual([
      expect.objectContaining({ kind: 'pull-request', event: 'pullRequestCreated', pullRequestId: '1', branch: 'feature/x', sourceCommit: source, title: 'raise a' }),
    ]);
    expect(unchanged).toEqual([]);
    expect(updated).toEqual([expect.objectContaining({ event: 'pullRequestSourceBranchUpdated', pullRequestId: '1', sourceCommit: moved, description: '- raise a\n- raise a more' })]);
  });

  it('closes the pull request of a branch merged into the trunk or deleted, and opens none for a branch equal to the trunk', async () => {
    tree.git('branch', 'same-as-trunk');
    tree.git('checkout', '-q', '-b', 'merged');
    tree.write('x.txt', 'x').commit('x');
    tree.git('checkout', '-q', '-b', 'deleted');
    tree.write('y.txt', 'y').commit('y');
    tree.git('checkout', '-q', 'main');
    await handleAll();
    tree.git('merge', '-q', '--ff-only', 'merged');
    tree.git('branch', '-q', '-D', 'deleted');

    const changes = await plan();

    expect(changes.filter((c) => c.kind === 'pull-request-closed')).toEqual([
      { kind: 'pull-request-closed', branch: 'deleted', pullRequestId: '1', reason: 'branch deleted' },
      { kind: 'pull-request-closed', branch: 'merged', pullRequestId: '2', reason: 'merged into main' },
    ]);
    expect(changes.some((c) => c.kind === 'pull-request' && c.branch === 'same-as-trunk')).toBe(false);
  });

  it('announces a pull request merged by fast-forward as one trunk change to its source commit, as CodeCommit does', async () => {
    await handleAll();
    const old = tree.git('rev-parse', 'HEAD');
    tree.git('checkout', '-q', '-b', 'feature/two-commits');
    tree.write('environments/sandbox/settings.yaml', 'a: 2\n').commit('one');
    const source = tree.write('environments/sandbox/settings.yaml', 'a: 3\n').commit('two');
    tree.git('checkout', '-q', 'main');
    await handleAll();
    tree.git('merge', '-q', '--ff-only', 'feature/two-commits');

    const changes = await plan();

    expect(changes.filter((c) => c.kind === 'trunk')).toEqual([expect.objectContaining({ oldCommit: old, commit: source })]);
  });
});
