import fc from 'fast-check';
import { shellNames } from '../../../shared/domain/build-files/shell-names';

function reads(text: string): string[] {
  return shellNames(text).reads.map((r) => `${r.name}@${r.index}`);
}

describe('Function: shellNames', () => {
  describe('reads', () => {
    it.each([
      ['$NAME and ${NAME}', 'echo $A ${B}', ['A@5', 'B@8']],
      ['names inside double quotes, not inside single quotes', `echo "$A" '$B' "x\${C}y"`, ['A@6', 'C@17']],
      ['the parameter of a default and the default', 'echo ${A:-$B}', ['A@5', 'B@10']],
      ['lengths and indirections', 'echo ${#A} ${!B}', ['A@5', 'B@11']],
      ['command substitutions, nested', 'X=$(aws --profile "$P" $(echo $Q))', ['P@19', 'Q@30']],
      ['backquotes', 'echo `echo $A`', ['A@11']],
      ['bare names in arithmetic', 'echo $(( A + $B * 2 ))', ['A@9', 'B@13']],
      ['nothing after an escaped dollar', 'echo \\$A', []],
      ['special parameters: not names', 'echo $1 $@ $? $$', []],
    ])('finds %s', (_, text, expected) => {
      // Act
      const found = reads(text);

      // Assess
      expect(found).toEqual(expected);
    });

    it('reads the body of a here-document with an unquoted delimiter, as SPA’s templates write them', () => {
      // Prepare
      const text = 'cat <<EOF >budget.json\n{ "BudgetName": "${BUDGET_NAME}", "Threshold": ${ALERT_THRESHOLD} }\nEOF\necho $AFTER';

      // Act
      const found = shellNames(text).reads.map((r) => r.name);

      // Assess
      expect(found.sort()).toEqual(['AFTER', 'ALERT_THRESHOLD', 'BUDGET_NAME']);
    });

    it('does not read the body of a here-document with a quoted delimiter', () => {
      // Act
      const found = reads("cat <<'EOF'\n$NOT_EXPANDED\nEOF\n");

      // Assess
      expect(found).toEqual([]);
    });

    it('reads printenv NAME as a read of NAME', () => {
      // Act
      const found = reads('printenv HOME');

      // Assess
      expect(found).toEqual(['HOME@9']);
    });
  });

  describe('assignments', () => {
    it.each([
      ['NAME=value', 'ACCOUNT=$(aws sts get-caller-identity)', ['ACCOUNT']],
      ['export and declare', 'export A=1 B; declare -x C=2; readonly D=3', ['A', 'C', 'D']],
      ['read, with its options', 'read -r -p "region? " REGION ZONE', ['REGION', 'ZONE']],
      ['read -a', 'read -a ITEMS', ['ITEMS']],
      ['read without a name', 'read -r', ['REPLY']],
      ['while read', 'while read -r REGION\ndo\n  echo "$REGION"\ndone < regions.txt', ['REGION']],
      ['for and select', 'for x in a b; do :; done; select y in a; do break; done', ['x', 'y']],
      ['printf -v, getopts, mapfile', 'printf -v OUT "%s" a; getopts ab OPT; mapfile -t LINES < f', ['OUT', 'OPT', 'LINES']],
      ['let', 'let COUNT=1', ['COUNT']],
      ['${NAME:=default}', 'echo ${MODE:=--dry-run}', ['MODE']],
    ])('finds %s', (_, text, expected) => {
      // Act
      const found = [...shellNames(text).assigned];

      // Assess
      expect(found.sort()).toEqual([...expected].sort());
    });
  });

  describe('scripts and the environment', () => {
    it('finds scripts run directly, through an interpreter, or sourced', () => {
      // Act
      const runs = shellNames('./scripts/a.sh x; bash -e b.sh; sh c.sh; source ./lib.sh; . d.sh; ./bin/tool; echo e.sh').runs;

      // Assess
      expect(runs.map((r) => `${r.how}:${r.path}@${r.index}`)).toEqual([
        'direct:./scripts/a.sh@0',
        'interpreter:b.sh@26',
        'interpreter:c.sh@35',
        'source:./lib.sh@48',
        'source:d.sh@60',
      ]);
    });

    it.each([
      ['env', 'env | sort', true],
      ['printenv', 'printenv', true],
      ['envsubst', 'envsubst < template > out', true],
      ['set alone', 'set', true],
      ['export -p', 'export -p', true],
      ['env with a command', 'env FOO=1 make', false],
      ['set -e', 'set -euo pipefail', false],
    ])('tells whether %s uses every variable', (_, text, expected) => {
      // Act
      const dumps = shellNames(text).dumpsEnvironment;

      // Assess
      expect(dumps).toBe(expected);
    });
  });

  it('never throws and reports indices inside the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const result = shellNames(text);
        return result.reads.every((r) => r.index >= 0 && r.index < text.length) && result.runs.every((r) => r.index >= 0 && r.index < text.length);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on shell-shaped text', () => {
    const piece = fc.constantFrom('$A', '${B:-$C}', '"', "'", '$(', ')', '`', '<<EOF\n', 'EOF\n', '$((', '))', 'read X', 'for i in', ';', '|', '\n', ' ', 'echo', '\\', '{', '}', '${', '#');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        const result = shellNames(text);
        return result.reads.every((r) => r.index >= 0 && r.index <= text.length);
      }),
      { numRuns: 500 },
    );
  });
});
