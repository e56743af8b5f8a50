import { loadPython, loadYaml, scalarPyType, toPython, toValue, type LoadedScalarNode } from '../../../shared/domain/settings/yaml-loader';
import { LIMITS } from '../../../shared/domain/settings/limits';
import { PyDict, PyFloat } from '../../../shared/domain/settings/python-values';
import { YamlBinary, YamlTimestamp } from '../../../shared/domain/settings/settings-value';
import type { YamlMappingNode, YamlNode } from '../../../shared/domain/settings/yaml-node';

/** The value of `value:` in a one-line document `value: <text>`. */
function scalar(text: string): LoadedScalarNode {
  const { root, diagnostics } = loadYaml('t.yaml', `value: ${text}\n`);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const entry = (root as YamlMappingNode).entries[0];
  return entry?.value as LoadedScalarNode;
}

function errorsOf(text: string) {
  return loadYaml('t.yaml', text).diagnostics.filter((d) => d.severity === 'error');
}

describe('Function: loadYaml', () => {
  describe('scalar resolution (PyYAML YAML 1.1)', () => {
    it.each([
      ['yes', true],
      ['No', false],
      ['ON', true],
      ['off', false],
      ['True', true],
      ['FALSE', false],
    ])('reads %s as the boolean %s', (text, expected) => {
      const node = scalar(text);
      expect(node.value).toBe(expected);
      expect(node.pyType).toBe('bool');
    });

    it.each(['y', 'n', 'Y', 'yEs', 'oN'])('keeps %s a string, unlike the YAML 1.1 specification', (text) => {
      expect(scalar(text)).toMatchObject({ value: text, pyType: 'str' });
    });

    it.each([
      ['0123', 83],
      ['1_000', 1000],
      ['1:30', 90],
      ['0x1F', 31],
      ['-0b11', -3],
      ['+12', 12],
      ['0', 0],
      ['190:20:30', 685230],
    ])('reads %s as the int %s', (text, expected) => {
      expect(scalar(text)).toMatchObject({ value: expected, pyType: 'int' });
    });

    it('keeps a 12-digit number with an 8 or 9 as a string, not an octal int', () => {
      expect(scalar('012345678901')).toMatchObject({ value: '012345678901', pyType: 'str' });
    });

    it('reads a 12-digit octal-looking number as an int in base 8, keeping the text as written', () => {
      expect(scalar('012345670123')).toMatchObject({ value: 0o12345670123, pyType: 'int', text: '012345670123' });
    });

    it('reads an unquoted account id as an int', () => {
      expect(scalar('123456789012')).toMatchObject({ value: 123456789012, pyType: 'int' });
    });

    it('reads integers beyond 2^53 exactly as bigint', () => {
      expect(scalar('123456789012345678901234').value).toBe(123456789012345678901234n);
    });

    it.each([
      ['.5', 0.5],
      ['1.', 1],
      ['1.0e+3', 1000],
      ['-.inf', -Infinity],
      ['1:30.5', 90.5],
      ['685_230.15', 685230.15],
    ])('reads %s as the float %s', (text, expected) => {
      expect(scalar(text)).toMatchObject({ value: expected, pyType: 'float' });
    });

    it('reads .nan as a NaN float', () => {
      const node = scalar('.NaN');
      expect(Number.isNaN(node.value)).toBe(true);
      expect(node.pyType).toBe('float');
    });

    it.each(['1e3', '1.5e3', '12e3', '._5', '09', '0_9', '1:60', '0o17'])('keeps %s a string (PyYAML has no resolver for it)', (text) => {
      expect(scalar(text)).toMatchObject({ value: text, pyType: 'str' });
    });

    it.each(['~', 'null', 'Null', 'NULL', ''])('reads %j as null', (text) => {
      expect(scalar(text)).toMatchObject({ value: null, pyType: 'NoneType' });
    });

    it('reads 2024-01-31 as a date, not a string', () => {
      const node = scalar('2024-01-31');
      expect(node.value).toBeInstanceOf(YamlTimestamp);
      expect(node.value).toEqual(new YamlTimestamp('2024-01-31', false));
      expect(node.pyType).toBe('date');
    });

    it('reads a timestamp with a time as a datetime', () => {
      expect(scalar('2001-12-14 21:59:43.10 -5')).toMatchObject({ pyType: 'datetime', value: new YamlTimestamp('2001-12-14 21:59:43.10 -5', true) });
    });

    it('keeps 2024-1-3 a string (a date needs two-digit month and day)', () => {
      expect(scalar('2024-1-3').value).toBe('2024-1-3');
    });

    it.each(["'yes'", '"123"', "'2024-01-31'", '"~"'])('keeps the quoted scalar %s a string', (text) => {
      expect(scalar(text).pyType).toBe('str');
    });

    it('resolves a scalar tagged with a lone ! as if it were plain, as PyYAML does', () => {
      expect(scalar("! '12'")).toMatchObject({ value: 12, pyType: 'int' });
    });

    it('applies explicit tags', () => {
      expect(scalar('!!str 12')).toMatchObject({ value: '12', pyType: 'str' });
      expect(scalar("!!int '7'")).toMatchObject({ value: 7, pyType: 'int' });
      expect(scalar('!!float 1e3')).toMatchObject({ value: 1000, pyType: 'float' });
      expect(scalar('!!binary aGVsbG8=')).toMatchObject({ value: new YamlBinary('aGVsbG8='), pyType: 'bytes' });
    });
  });

  describe('errors PyYAML raises while constructing', () => {
    it.each([
      ['value: 2024-02-30\n', 'day is out of range for month'],
      ['value: 2021-02-29\n', 'day is out of range'],
      ['value: 2001-12-14 25:00:00\n', 'hour must be in 0..23'],
      ['value: 0b_\n', 'is not an integer'],
      ['value: !!int 1.5\n', 'is not an integer'],
      ['value: !!bool abc\n', 'is not a YAML boolean'],
      ['value: !!timestamp foo\n', 'does not have the form'],
    ])('refuses %j with a yaml-invalid-value error', (text, fragment) => {
      const errors = errorsOf(text);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code: 'yaml-invalid-value', line: 1, column: 8 });
      expect(errors[0]?.message).toContain(fragment);
    });

    it('refuses an unknown tag at its position', () => {
      expect(errorsOf('a:\n  b: !foo x\n')).toEqual([expect.objectContaining({ code: 'yaml-unknown-tag', line: 2, column: 6 })]);
    });

    it('refuses a plain = or << used as a value (PyYAML has no constructor for them)', () => {
      expect(errorsOf('a: =\n')).toEqual([expect.objectContaining({ code: 'yaml-unknown-tag', line: 1, column: 4 })]);
      expect(errorsOf('- <<\n')).toEqual([expect.objectContaining({ code: 'yaml-unknown-tag', line: 1, column: 3 })]);
    });

    it('accepts = as a key (PyYAML turns it into the string =)', () => {
      expect(toValue(loadYaml('t.yaml', '=: 1\n').root as YamlNode)).toEqual({ '=': 1 });
    });

    it('refuses a list used as a key', () => {
      expect(errorsOf('? [a]\n: b\n')).toEqual([expect.objectContaining({ code: 'yaml-unhashable-key', line: 1, column: 3 })]);
    });

    it('refuses !!set, !!omap and !!pairs, which spa-cd does not support', () => {
      expect(errorsOf('a: !!set {x, y}\n')).toEqual([expect.objectContaining({ code: 'yaml-unsupported-tag', line: 1, column: 4 })]);
      expect(errorsOf('a: !!omap [x: 1]\n')).toEqual([expect.objectContaining({ code: 'yaml-unsupported-tag' })]);
    });

    it('reports every construction problem of a file, not only the first', () => {
      expect(errorsOf('a: 2024-02-30\nb: 2024-13-01\n').map((d) => d.line)).toEqual([1, 2]);
    });
  });

  describe('syntax errors', () => {
    it('reports a YAML syntax error with its line and column', () => {
      const errors = errorsOf('automation:\n  region: eu-west-1\n  note: a: b\n');
      expect(errors).toEqual([expect.objectContaining({ code: 'yaml-syntax-error', line: 3, column: 10, severity: 'error' })]);
      expect(errors[0]?.message).toContain('mapping values are not allowed here');
      expect(errors[0]?.hint).toContain('quote the value');
    });

    it('reports a tab used for indentation with a hint', () => {
      const errors = errorsOf('a:\n\tb: c\n');
      expect(errors[0]).toMatchObject({ code: 'yaml-syntax-error', line: 2, column: 1 });
      expect(errors[0]?.hint).toContain('tabs');
    });

    it('reports an unclosed quote', () => {
      expect(errorsOf("a: 'unterminated\n")[0]).toMatchObject({ code: 'yaml-syntax-error', line: 2, column: 1 });
    });

    it('refuses a second document', () => {
      expect(errorsOf('a: 1\n---\nb: 2\n')).toEqual([expect.objectContaining({ code: 'yaml-multiple-documents', line: 2, column: 1 })]);
    });

    it('refuses a control character with its position', () => {
      expect(errorsOf('a: 1\nb: x\u0007y\n')).toEqual([expect.objectContaining({ code: 'yaml-non-printable', line: 2, column: 5 })]);
    });

    it('refuses an alias to an undefined anchor', () => {
      expect(errorsOf('a: *nowhere\n')).toEqual([expect.objectContaining({ code: 'yaml-undefined-alias', line: 1, column: 4 })]);
    });

    it('refuses an anchor defined twice, as PyYAML does', () => {
      expect(errorsOf('a: &x 1\nb: &x 2\n')).toEqual([expect.objectContaining({ code: 'yaml-duplicate-anchor', line: 2, column: 4 })]);
    });

    it('counts columns in characters, not UTF-16 units', () => {
      expect(errorsOf('a: "😀😀" b: c\n')[0]).toMatchObject({ line: 1, column: 9 });
    });
  });

  describe('documents and positions', () => {
    it('gives every node its 1-based line and column', () => {
      const { root } = loadYaml('t.yaml', 'automation:\n  region: eu-west-1\nlist:\n  - a\n  - b: c\n');
      const top = root as YamlMappingNode;
      expect(top).toMatchObject({ kind: 'mapping', line: 1, column: 1 });
      const automation = top.entries[0]?.value as YamlMappingNode;
      expect(automation.entries[0]?.key).toMatchObject({ line: 2, column: 3 });
      expect(automation.entries[0]?.value).toMatchObject({ line: 2, column: 11, value: 'eu-west-1' });
      const list = top.entries[1]?.value;
      expect(list).toMatchObject({ kind: 'sequence', line: 4, column: 3 });
    });

    it('gives an empty value the position after its colon', () => {
      const { root } = loadYaml('t.yaml', 'accounts:\nnext: 1\n');
      expect((root as YamlMappingNode).entries[0]?.value).toMatchObject({ value: null, line: 1, column: 10 });
    });

    it('returns a null scalar for an empty file (PyYAML returns None)', () => {
      expect(loadYaml('t.yaml', '')).toEqual({ diagnostics: [], datesAndBinaries: 0, nonStringKeys: 0, aliases: 0, root: expect.objectContaining({ kind: 'scalar', value: null, line: 1, column: 1 }) });
      expect(loadYaml('t.yaml', '# only a comment\n').root).toMatchObject({ kind: 'scalar', value: null });
    });

    it('leaves the top-level shape to the caller', () => {
      expect(loadYaml('t.yaml', '- a\n- b\n')).toEqual({ diagnostics: [], datesAndBinaries: 0, nonStringKeys: 0, aliases: 0, root: expect.objectContaining({ kind: 'sequence' }) });
    });

    it('skips a byte-order mark at the start without counting it as a column', () => {
      const { root, diagnostics } = loadYaml('t.yaml', '\uFEFFa: 1\n');
      expect(diagnostics).toEqual([]);
      expect((root as YamlMappingNode).entries[0]?.key).toMatchObject({ value: 'a', line: 1, column: 1 });
    });

    it('reads CRLF line ends like LF', () => {
      expect(toValue(loadYaml('t.yaml', 'a: 1\r\nb: |\r\n  x\r\n  y\r\n').root as YamlNode)).toEqual({ a: 1, b: 'x\ny\n' });
    });
  });

  describe('duplicate keys, anchors, aliases and merge keys', () => {
    it('warns about a repeated key and keeps the last value in its first place', () => {
      const { root, diagnostics } = loadYaml('t.yaml', 'a: 1\nb: 2\na: 3\n');
      expect(diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'yaml-duplicate-key', line: 3, column: 1 })]);
      expect(diagnostics[0]?.message).toContain('first at line 1');
      const value = toValue(root as YamlNode);
      expect(value).toEqual({ a: 3, b: 2 });
      expect(Object.keys(value as object)).toEqual(['a', 'b']);
    });

    it('treats 1 and true as the same key, as Python dicts do', () => {
      const { root, diagnostics } = loadYaml('t.yaml', '{1: a, true: b}\n');
      expect(diagnostics).toEqual([expect.objectContaining({ code: 'yaml-duplicate-key' })]);
      expect(toValue(root as YamlNode)).toEqual({ 1: 'b' });
    });

    it('detects duplicates in large mappings too', () => {
      const keys = Array.from({ length: 40 }, (_, i) => `k${i}: ${i}`);
      const { diagnostics } = loadYaml('t.yaml', `${keys.join('\n')}\nk7: again\n`);
      expect(diagnostics).toEqual([expect.objectContaining({ code: 'yaml-duplicate-key', line: 41 })]);
    });

    it('makes an alias the same value as its anchor, as Python objects are shared', () => {
      const value = toValue(loadYaml('t.yaml', 'a: &t {x: 1}\nb: *t\n').root as YamlNode) as Record<string, unknown>;
      expect(value.a).toBe(value.b);
      const py = toPython(loadYaml('t.yaml', 'a: &t {x: 1}\nb: *t\n').root as YamlNode) as PyDict;
      expect(py.get('a')).toBe(py.get('b'));
    });

    it('merges mappings with << as PyYAML: own keys win, earlier merge sources win over later ones', () => {
      const text = 'x: &x {a: 1, b: 1}\ny: &y {b: 2, c: 2}\nz:\n  <<: [*x, *y]\n  c: 3\n';
      const value = toValue(loadYaml('t.yaml', text).root as YamlNode) as Record<string, Record<string, number>>;
      expect(value.z).toEqual({ a: 1, b: 1, c: 3 });
      expect(Object.keys(value.z ?? {})).toEqual(['b', 'c', 'a']);
    });

    it('does not warn when an own key overrides a merged one', () => {
      expect(loadYaml('t.yaml', 'x: &x {a: 1}\ny:\n  <<: *x\n  a: 2\n').diagnostics).toEqual([]);
    });

    it('refuses a merge of a scalar', () => {
      expect(errorsOf('a:\n  <<: 1\n')).toEqual([expect.objectContaining({ code: 'yaml-invalid-merge', line: 2, column: 7 })]);
    });

    it('keeps a quoted << as a plain key', () => {
      expect(toValue(loadYaml('t.yaml', "'<<': 1\n").root as YamlNode)).toEqual({ '<<': 1 });
    });

    it('refuses a recursive alias', () => {
      expect(errorsOf('a: &a [*a]\n')).toEqual([expect.objectContaining({ code: 'yaml-recursive-alias', line: 1, column: 8 })]);
    });
  });

  describe('limits', () => {
    it('refuses a billion-laughs document quickly with an alias-bomb error', () => {
      const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
      for (const [name, previous] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e'], ['g', 'f'], ['h', 'g'], ['i', 'h']]) {
        lines.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(',')}]`);
      }
      const errors = errorsOf(`${lines.join('\n')}\n`);
      expect(errors).toEqual([expect.objectContaining({ code: 'yaml-alias-bomb', severity: 'error' })]);
    });

    it(`refuses more than ${LIMITS.maxYamlAliases} aliases`, () => {
      const text = `a: &a 1\nb: [${Array.from({ length: LIMITS.maxYamlAliases + 1 }, () => '*a').join(', ')}]\n`;
      expect(errorsOf(text)).toEqual([expect.objectContaining({ code: 'yaml-too-many-aliases', line: 2 })]);
    });

    it(`refuses collections nested deeper than ${LIMITS.maxYamlDepth} levels`, () => {
      const depth = LIMITS.maxYamlDepth + 1;
      expect(errorsOf(`${'['.repeat(depth)}${']'.repeat(depth)}\n`)).toEqual([expect.objectContaining({ code: 'yaml-too-deep', line: 1, column: depth })]);
    });

    it(`accepts ${LIMITS.maxYamlDepth} levels of nesting`, () => {
      const depth = LIMITS.maxYamlDepth;
      expect(errorsOf(`${'['.repeat(depth)}${']'.repeat(depth)}\n`)).toEqual([]);
    });
  });

  it('never throws, whatever the text', () => {
    for (const text of ['\0', '{', '"\\x', '&', '!<', '%TAG ! x\n', '? ? ?', '---\n...\n---', '- - - -', '\t', '\uD800']) {
      expect(() => loadYaml('t.yaml', text)).not.toThrow();
    }
  });
});

describe('Function: toValue', () => {
  it('gives Python-equivalent values with string keys as Python str() shows them', () => {
    const value = toValue(loadYaml('t.yaml', 'on: 1\n2: a\n~: n\n1.5: f\n2024-01-31: d\n').root as YamlNode);
    expect(value).toEqual({ True: 1, 2: 'a', None: 'n', '1.5': 'f', '2024-01-31': 'd' });
  });

  it('merges keys Python considers equal (True == 1) as PyYAML does', () => {
    expect(toValue(loadYaml('t.yaml', 'on: 1\n1: a\n').root as YamlNode)).toEqual({ True: 'a' });
  });

  it('keeps __proto__ as an ordinary key', () => {
    const value = toValue(loadYaml('t.yaml', '__proto__: {polluted: true}\n').root as YamlNode) as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('Function: toPython', () => {
  it('keeps floats distinct from ints', () => {
    const py = toPython(loadYaml('t.yaml', 'a: 1.0\nb: 1\n').root as YamlNode) as PyDict;
    expect(py.get('a')).toEqual(new PyFloat(1));
    expect(py.get('b')).toBe(1);
  });

  it('reports the Python type of loaded scalars', () => {
    const node = loadYaml('t.yaml', '1.0').root;
    expect(node && node.kind === 'scalar' ? scalarPyType(node) : undefined).toBe('float');
  });
});

describe('Keys that only look alike', () => {
  it('keeps a double-quoted key starting with NUL apart from a number, None or a bool', () => {
    for (const [text, other] of [['"\\0n:1": a\n1: b\n', 1], ['"\\0none": a\n~: b\n', null], ['"\\0n:1": a\ntrue: b\n', true]] as const) {
      const loaded = loadYaml('t.yaml', text);
      expect(loaded.diagnostics).toEqual([]);
      const py = toPython(loaded.root as YamlNode) as PyDict;
      expect(py.entries.map((e) => e.key)).toEqual([text.startsWith('"\\0none') ? '\0none' : '\0n:1', other]);
    }
    const duplicate = loadYaml('t.yaml', '"\\0n:1": a\n"\\0n:1": b\n');
    expect(duplicate.diagnostics.map((d) => d.code)).toEqual(['yaml-duplicate-key']);
    expect(loadPython('t.yaml', '"\\0n:1": a\n"\\0n:1": b\n')).toBeUndefined();
    expect(loadPython('t.yaml', '"\\0x": a\n"\\0y": b\n')?.value.size).toBe(2);
  });
});
