import fc from 'fast-check';
import { checkSettings } from '../../../shared/domain/settings/settings-loader';
import { loadPython, loadYaml, scalarPyType, toPython } from '../../../shared/domain/settings/yaml-loader';
import { YamlBinary, YamlTimestamp } from '../../../shared/domain/settings/settings-value';
import type { YamlNode } from '../../../shared/domain/settings/yaml-node';
import { PyDict, PyFloat, PyList, type PyValue } from '../../../shared/domain/settings/python-values';
import type { Diagnostic } from '../../../shared/domain/settings/diagnostics';
import { MemorySource } from '../../support/memory-source';

const YAML_ATOMS = [
  'accounts:', 'organizational_units:', 'defaults:', 'automation:', 'features:', 'with_csv_files:', 'identifier:', 'account_tags:', 'preparation:',
  'purge:', 'variables:', 'feature:', 'note:', "'123456789012'", '123456789012', 'ou-ab12-34cd56ef', 'a.csv', 'x', ': ', ':', '- ', '-', ' ', '  ', '\n',
  '\n  ', '\n    ', '\r\n', '\r', '[', ']', '{', '}', ', ', "'", '"', '# c', '&a ', '*a', '<<: ', '!!str ', '!x ', '? ', '|', '>', '\t', '1', '0.5', 'yes',
  '~', '2024-01-31', '---', '...', 'é', '😀', '\\', '\u0085', '\u2028', '\u0007', '\uFEFF',
];
const CSV_ATOMS = ['Account', 'Note', 'Tag: x', 'Preparation: P', 'Purge:', 'tag: y', ',', ', ', '"', '""', '123456789012', '12', 'a', ' ', '\n', '\r\n', '\r', 'é', '\uFEFF'];

const yamlText = fc.array(fc.constantFrom(...YAML_ATOMS), { maxLength: 40 }).map((atoms) => atoms.join(''));
const csvText = fc.array(fc.constantFrom(...CSV_ATOMS), { maxLength: 40 }).map((atoms) => atoms.join(''));

/** Lines of a file as the engine counts them: PyYAML's line breaks for YAML, universal newlines for CSV. */
function linesOf(file: string, text: string, code: string): string[] {
  if (code === 'invalid-utf8') return text.split('\n');
  return file.endsWith('.csv') ? text.split(/\r\n|\r|\n/) : text.split(/\r\n|\r|\n|\u0085|\u2028|\u2029/);
}

function outsideItsFile(diagnostics: readonly Diagnostic[], files: Record<string, string>): Diagnostic[] {
  return diagnostics.filter((d) => {
    const text = files[d.file];
    if (text === undefined) return true;
    const lines = linesOf(d.file, text, d.code);
    const line = lines[d.line - 1];
    return !Number.isInteger(d.line) || !Number.isInteger(d.column) || d.line < 1 || d.column < 1 || line === undefined || d.column > [...line].length + 1;
  });
}

async function check(files: Record<string, string | Uint8Array>) {
  return checkSettings({ source: new MemorySource(files), settingsFile: 'env/settings.yaml', environmentFolder: 'env' });
}

describe('Properties of checkSettings', () => {
  it('never throws on arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        const result = await check({ 'env/settings.yaml': bytes });
        expect(Array.isArray(result.diagnostics)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on YAML-ish text, and every position lies inside its file', async () => {
    await fc.assert(
      fc.asyncProperty(yamlText, csvText, async (settings, csv) => {
        const files = { 'env/settings.yaml': settings, 'env/a.csv': csv };
        const result = await check(files);
        expect(outsideItsFile(result.diagnostics, files)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary Unicode text, and every position lies inside its file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 200 }), async (settings) => {
        const files = { 'env/settings.yaml': settings };
        const result = await check(files);
        expect(outsideItsFile(result.diagnostics, files)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary CSV lists, and every position lies inside its file', async () => {
    const settings = "defaults:\n  account_tags: {}\n  preparation: {variables: {}}\n  purge: {variables: {}}\naccounts:\n  - identifier: '123456789012'\nfeatures:\n  with_csv_files: [a.csv, b.csv]\n";
    await fc.assert(
      fc.asyncProperty(csvText, fc.string({ maxLength: 120 }), async (a, b) => {
        const files = { 'env/settings.yaml': settings, 'env/a.csv': a, 'env/b.csv': b };
        const result = await check(files);
        expect(outsideItsFile(result.diagnostics, files)).toEqual([]);
        if (result.diagnostics.every((d) => d.severity === 'warning')) expect(result.effective).toBeDefined();
      }),
      { numRuns: 400 },
    );
  });

  it('gives effective settings exactly when there is no error', async () => {
    await fc.assert(
      fc.asyncProperty(yamlText, async (settings) => {
        const result = await check({ 'env/settings.yaml': settings });
        const hasError = result.diagnostics.some((d) => d.severity === 'error');
        expect(result.effective === undefined).toBe(hasError);
      }),
      { numRuns: 300 },
    );
  });
});

describe('Properties of loadYaml', () => {
  it('never throws and points inside the text', () => {
    fc.assert(
      fc.property(fc.oneof(yamlText, fc.string({ unit: 'binary', maxLength: 200 })), (text) => {
        const { diagnostics } = loadYaml('t.yaml', text);
        expect(outsideItsFile(diagnostics, { 't.yaml': text })).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });
});

/** What the loaded tree holds, found by walking it: dates or binaries (as values or keys), and non-string keys. */
function reachable(root: YamlNode | undefined): { datesAndBinaries: number; nonStringKeys: number } {
  const seen = new Set<YamlNode>();
  let datesAndBinaries = 0;
  let nonStringKeys = 0;
  const visit = (node: YamlNode): void => {
    if (seen.has(node)) return;
    seen.add(node);
    if (node.kind === 'scalar') {
      if (node.value instanceof YamlTimestamp || node.value instanceof YamlBinary) datesAndBinaries += 1;
    } else if (node.kind === 'sequence') node.items.forEach(visit);
    else {
      for (const { key, value } of node.entries) {
        if (key.kind !== 'scalar' || scalarPyType(key) !== 'str') nonStringKeys += 1;
        visit(key);
        visit(value);
      }
    }
  };
  if (root !== undefined) visit(root);
  return { datesAndBinaries, nonStringKeys };
}

describe('The counts loadYaml gives (the settings checks skip a walk when they are 0)', () => {
  const withDates = fc
    .array(fc.constantFrom(...YAML_ATOMS, '!!binary ', 'aGk=', '!!timestamp ', '2024-01-31 10:00:00', '? [a]', '{1: x}', '<<: {2024-01-31: x}', 'a: &d 2024-02-01', 'b: *d', '{? *d : 1}'), { maxLength: 40 })
    .map((atoms) => atoms.join(''));

  it('never says 0 while the document holds a date, a binary value or a non-string key', () => {
    fc.assert(
      fc.property(withDates, (text) => {
        const loaded = loadYaml('t.yaml', text);
        const found = reachable(loaded.root);
        if (found.datesAndBinaries > 0) expect(loaded.datesAndBinaries).toBeGreaterThan(0);
        if (found.nonStringKeys > 0) expect(loaded.nonStringKeys).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('never says 0 aliases while a collection is reached twice (toPython then remembers no node)', () => {
    fc.assert(
      fc.property(withDates, (text) => {
        const loaded = loadYaml('t.yaml', text);
        if (loaded.root === undefined || loaded.aliases > 0) return;
        const reached = new Set<YamlNode>();
        const visit = (node: YamlNode): void => {
          if (node.kind === 'scalar') return;
          expect(reached.has(node)).toBe(false);
          reached.add(node);
          if (node.kind === 'sequence') node.items.forEach(visit);
          else for (const { key, value } of node.entries) [key, value].forEach(visit);
        };
        visit(loaded.root);
        expect(toPython(loaded.root, { aliases: false })).toEqual(toPython(loaded.root));
      }),
      { numRuns: 2000 },
    );
  });

  it('counts each kind', () => {
    expect(loadYaml('t.yaml', 'a: 1\nb: [x, {c: d}]\n')).toMatchObject({ datesAndBinaries: 0, nonStringKeys: 0 });
    expect(loadYaml('t.yaml', 'a: &d 2024-01-31\nb: *d\nc: !!binary aGk=\n')).toMatchObject({ datesAndBinaries: 2, nonStringKeys: 0 });
    expect(loadYaml('t.yaml', 'a:\n  tags:\n    1: x\n    yes: y\n')).toMatchObject({ nonStringKeys: 2 });
    expect(loadYaml('t.yaml', 'base: &b {1: x}\nitem:\n  <<: *b\n')).toMatchObject({ nonStringKeys: 2, aliases: 1 });
    expect(loadYaml('t.yaml', 'item:\n  <<: {a: {b: 1}}\n')).toMatchObject({ aliases: 0 });
  });
});

/** Everything toPython's result says, in order: keys, values (with their Python type), positions, sources, sharing. */
function dump(value: PyValue, seen = new Map<PyDict | PyList, number>()): unknown {
  if (value instanceof PyFloat) return { float: value.value };
  if (typeof value === 'bigint') return { int: String(value) };
  if (!(value instanceof PyDict) && !(value instanceof PyList)) return value;
  const known = seen.get(value);
  if (known !== undefined) return { same: known };
  seen.set(value, seen.size);
  if (value instanceof PyList) return { list: value.items.map((item) => dump(item, seen)), itemsAt: value.itemsAt, at: value.at, aliased: value.aliased };
  return {
    dict: [...value.entries].map((e) => [dump(e.key, seen), dump(e.value, seen), e.keyPosition, e.valuePosition, e.source, e.copiedFrom]),
    at: value.at,
    aliased: value.aliased,
  };
}

describe('Function: loadPython (the common settings file without a node tree)', () => {
  const settingsLike = fc
    .array(
      fc.constantFrom(
        ...YAML_ATOMS,
        'a: 1\n',
        'b:\n  - x: 2\n    y: [1, 2]\n',
        "c: {d: '012', e: 0o17, f: .5, g: ~, h: yes}\n",
        'i: 2024-01-31\n',
        'j: |\n  text\n',
        'k: "q\\x41"\n',
        'a: 2\n',
        '- y\n',
        '  z: 3\n',
      ),
      { maxLength: 30 },
    )
    .map((atoms) => atoms.join(''));

  it('gives exactly what loadYaml then toPython give, or leaves the file to them', () => {
    let taken = 0;
    fc.assert(
      fc.property(settingsLike, (text) => {
        const fast = loadPython('t.yaml', text);
        if (fast === undefined) return;
        taken += 1;
        const loaded = loadYaml('t.yaml', text);
        expect(loaded.diagnostics).toEqual([]);
        expect(loaded.aliases).toBe(0);
        expect(loaded.nonStringKeys).toBe(0);
        expect(fast.datesAndBinaries).toBe(loaded.datesAndBinaries);
        expect(loaded.root?.kind).toBe('mapping');
        expect(dump(fast.value)).toEqual(dump(toPython(loaded.root as YamlNode)));
      }),
      { numRuns: 3000 },
    );
    // the comparison above ran on enough documents to mean something
    expect(taken).toBeGreaterThan(300);
  });

  it('takes a large settings file, and leaves every file with a problem or a rarer feature to loadYaml', () => {
    const accounts = Array.from({ length: 50 }, (_, i) => `  - identifier: '${100000000000 + i}'\n    note: n${i}\n    account_tags:\n      cost-center: CC-${i}\n`).join('');
    expect(loadPython('t.yaml', `accounts:\n${accounts}`)?.value.size).toBe(1);
    for (const text of ['a: &x 1\nb: *x\n', 'a: !!str 1\n', 'a: 1\na: 2\n', '1: a\n', 'a: {<<: {b: 1}}\n', '- a\n', '', 'a: 2024-02-30\n', 'a: [\n', 'a: 1\n---\nb: 2\n', '? [a]\n: 1\n']) {
      expect(loadPython('t.yaml', text)).toBeUndefined();
    }
  });
});
