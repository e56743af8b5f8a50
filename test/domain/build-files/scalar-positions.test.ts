import fc from 'fast-check';
import { positionInScalar, sourceLines } from '../../../shared/domain/build-files/scalar-positions';
import { loadYaml } from '../../../shared/domain/settings/yaml-loader';
import type { YamlNode } from '../../../shared/domain/settings/yaml-node';

/** The first item of the first list in a YAML text, with a position function for its value. */
function item(text: string): { value: string; at: (index: number) => { line: number; column: number } } {
  const root = loadYaml('t.yaml', text).root as YamlNode;
  const list = root.kind === 'mapping' ? root.entries[0]?.value : undefined;
  const node = list?.kind === 'sequence' ? list.items[0] : undefined;
  if (node?.kind !== 'scalar' || typeof node.value !== 'string') throw new Error('test text without a string item');
  return { value: node.value, at: positionInScalar(sourceLines(text), node, node.value) };
}

describe('Function: positionInScalar', () => {
  it('maps a plain one-line scalar character by character', () => {
    // Prepare
    const { value, at } = item('commands:\n  - echo "$X" é $Y\n');

    // Act
    const position = at(value.indexOf('$Y'));

    // Assess
    expect(position).toEqual({ line: 2, column: 17 });
  });

  it('maps a quoted one-line scalar after its quote', () => {
    // Prepare
    const { value, at } = item("commands:\n  - 'echo $X'\n");

    // Act
    const position = at(value.indexOf('$X'));

    // Assess
    expect(position).toEqual({ line: 2, column: 11 });
  });

  it.each([
    ['a literal block', 'commands:\n  - |\n    first\n      second $X\n', { line: 4, column: 14 }],
    ['a literal block with a blank line', 'commands:\n  - |\n    first\n\n    $X\n', { line: 5, column: 5 }],
    ['a literal block with an indentation indicator', 'commands:\n  - |2\n      indented $X\n', { line: 3, column: 16 }],
    ['a literal block with chomping and a comment', 'commands:\n  - |- # the budget\n    echo $X\n', { line: 3, column: 10 }],
    ['a literal block with Windows line endings', 'commands:\r\n  - |\r\n    a\r\n    b $X\r\n', { line: 4, column: 7 }],
  ])('maps an index inside %s to its line inside the block', (_, text, expected) => {
    // Prepare
    const { value, at } = item(text);

    // Act
    const position = at(value.indexOf('$X'));

    // Assess
    expect(position).toEqual(expected);
  });

  it('finds the line of a folded block by its text', () => {
    // Prepare
    const { value, at } = item('commands:\n  - >\n    echo one\n    two $X three\n');

    // Act
    const position = at(value.indexOf('$X'));

    // Assess
    expect(position).toEqual({ line: 4, column: 9 });
  });

  it('stays inside the file for any index, for any block', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, ' ')), { minLength: 1, maxLength: 6 }), fc.integer({ min: -5, max: 300 }), (lines, index) => {
        const text = `commands:\n  - |\n${lines.map((l) => `    x${l}`).join('\n')}\n`;
        const root = loadYaml('t.yaml', text).root;
        const list = root?.kind === 'mapping' ? root.entries[0]?.value : undefined;
        const node = list?.kind === 'sequence' ? list.items[0] : undefined;
        if (node?.kind !== 'scalar' || typeof node.value !== 'string') return true;
        const at = positionInScalar(sourceLines(text), node, node.value)(index);
        return at.line >= 1 && at.line <= sourceLines(text).length && at.column >= 1;
      }),
      { numRuns: 200 },
    );
  });
});
