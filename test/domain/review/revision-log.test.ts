import type { Diagnostic } from '../../../shared/domain/settings/diagnostics';
import { errorFingerprints, nextRevisionLog, type RevisionLogState } from '../../../shared/domain/review/revision-log';

const C1 = '1'.repeat(40);
const C2 = '2'.repeat(40);
const C3 = '3'.repeat(40);
const D = 'd'.repeat(40);

function errors(...messages: string[]): Diagnostic[] {
  return messages.map((message, i) => ({ file: 'environments/prod/settings.yaml', line: i + 1, column: 1, severity: 'error', code: 'wrong-type', message }));
}

function review(state: RevisionLogState, sourceCommit: string, diagnostics: Diagnostic[], destinationCommit = D) {
  return nextRevisionLog(state, { sourceCommit, destinationCommit, fingerprints: errorFingerprints(diagnostics), warnings: 0, reviewedAt: '2026-01-01T00:00:00.000Z' });
}

describe('Function: nextRevisionLog', () => {
  it('numbers revisions and counts errors fixed and introduced since the previous one', () => {
    // Prepare
    const empty: RevisionLogState = { revisions: [], fingerprints: [] };

    // Act
    const first = review(empty, C1, errors('a', 'b', 'c'));
    const second = review(first.state, C2, errors('c', 'd'));
    const third = review(second.state, C3, []);

    // Assess
    expect(first.entry).toMatchObject({ revision: 1, errors: 3, fixed: 0, introduced: 0 });
    expect(second.entry).toMatchObject({ revision: 2, errors: 2, fixed: 2, introduced: 1 });
    expect(third.entry).toMatchObject({ revision: 3, errors: 0, fixed: 2, introduced: 0 });
    expect(third.state.revisions.map((r) => r.revision)).toEqual([1, 2, 3]);
  });

  it('keeps the number of a revision reviewed again (duplicate event, retry)', () => {
    // Prepare
    const first = review({ revisions: [], fingerprints: [] }, C1, errors('a'));
    const second = review(first.state, C2, errors('b'));

    // Act
    const again = review(second.state, C2, errors('b'));

    // Assess
    expect(again.entry).toEqual(second.entry);
    expect(again.state.revisions).toHaveLength(2);
  });

  it('counts a new destination commit as a new revision', () => {
    // Prepare
    const first = review({ revisions: [], fingerprints: [] }, C1, errors('a'));

    // Act
    const moved = review(first.state, C1, errors('a'), 'e'.repeat(40));

    // Assess
    expect(moved.entry).toMatchObject({ revision: 2, fixed: 0, introduced: 0, errors: 1 });
  });

  it('does not call an error fixed because it moved to another line', () => {
    // Prepare
    const first = review({ revisions: [], fingerprints: [] }, C1, errors('a'));
    const moved: Diagnostic[] = errors('a').map((d) => ({ ...d, line: 40 }));

    // Act
    const second = review(first.state, C2, moved);

    // Assess
    expect(second.entry).toMatchObject({ fixed: 0, introduced: 0, errors: 1 });
  });
});
