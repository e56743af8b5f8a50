import fc from 'fast-check';
import { PyDict, PyFloat, PyList, pyToSettingsValue, type PyScalar, type PyValue } from '../../shared/domain/settings/python-values';
import { YamlBinary, YamlTimestamp } from '../../shared/domain/settings/settings-value';
import { isJsonReady, jsonChunks, toJson } from '../../shared/rendering/json-output';
import { toJsonSafe } from '../../shared/rendering/plan-json';

/** What toJson promised before it skipped the copy: the reference its output must stay equal to. */
function reference(value: unknown): string {
  return JSON.stringify(toJsonSafe(value), null, 2);
}

const leaf = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, 2n ** 64n, 5n),
  fc.constant(new YamlTimestamp('2024-01-31', false)),
  fc.constant(new YamlBinary('aGk=')),
  fc.constant(() => 1),
  fc.constant(Symbol('s')),
  fc.constant(new Date(0)),
);

const tree = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', '123456789012', '7', 'identifier')), tie('value'), { maxKeys: 4 }),
})).value;

describe('Function: toJson', () => {
  it('writes exactly the JSON of toJsonSafe for any value', () => {
    // Act & assess
    fc.assert(
      fc.property(tree, (value) => {
        expect(toJson(value)).toBe(reference(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes plain settings values without copying them', () => {
    // Prepare
    const accounts = { '123456789012': { identifier: '123456789012', account_tags: { owner: 'a@example.com' }, budget: 500, on: true, note: null } };

    // Act
    const ready = isJsonReady(accounts);

    // Assess
    expect(ready).toBe(true);
    expect(toJson(accounts)).toBe(reference(accounts));
  });

  it('falls back to the safe copy for big integers, NaN, infinities and deep nesting', () => {
    // Prepare
    const deep: unknown[] = [];
    let cursor = deep;
    for (let i = 0; i < 70; i += 1) {
      const next: unknown[] = [];
      cursor.push(next);
      cursor = next;
    }
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const values: unknown[] = [{ big: 2n ** 64n }, [Number.NaN], { inf: -Infinity }, deep, cyclic, { f: () => 1 }, { d: new Date(0) }];

    // Act
    const ready = values.map(isJsonReady);

    // Assess
    expect(ready).toEqual(values.map(() => false));
    for (const value of values) expect(toJson(value)).toBe(reference(value));
  });

  it('writes a key named __proto__ as data', () => {
    // Prepare
    const value: unknown = JSON.parse('{"a": {"__proto__": {"polluted": true}}}');

    // Act
    const text = toJson(value);

    // Assess
    expect(text).toBe(reference(value));
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('Function: writeJson', () => {
  const written = (value: unknown, wholeNodes?: number): string[] => {
    const chunks: string[] = [];
    for (const chunk of jsonChunks(value, wholeNodes)) chunks.push(chunk);
    return chunks;
  };

  it('writes the text of toJson and a line break, for any value, whole or member by member', () => {
    // Act & assess
    fc.assert(
      fc.property(tree, fc.constantFrom(undefined, 1, 3), (value, wholeNodes) => {
        expect(written(value, wholeNodes).join('')).toBe(`${toJson(value)}\n`);
      }),
      { numRuns: 3000 },
    );
  });

  it('writes a large value in chunks of whole lines', () => {
    // Prepare
    const accounts: Record<string, unknown> = {};
    for (let i = 0; i < 5000; i += 1) {
      accounts[String(100000000000 + i)] = { identifier: String(100000000000 + i), account_tags: { owner: `o${i}@example.com` }, preparation: { feature: 'enabled', variables: { BUDGET: i } }, unset: undefined, list: [1, [2, []], {}] };
    }
    const value = { valid: true, diagnostics: [], environments: [{ name: 'prod', effective: { accounts, organizational_units: {} } }, { name: 'empty', effective: null }] };

    // Act
    const chunks = written(value);

    // Assess
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.every((chunk) => chunk.endsWith('\n'))).toBe(true);
    expect(chunks.join('')).toBe(`${JSON.stringify(value, null, 2)}\n`);
  });

  it('writes large values that need toJsonSafe, cyclic ones included, as toJson does', () => {
    // Prepare
    const accounts: Record<string, unknown> = {};
    for (let i = 0; i < 3000; i += 1) accounts[String(i)] = { big: 2n ** 64n + BigInt(i), nan: Number.NaN, when: new YamlTimestamp('2024-01-31', false), fn: () => i, gone: undefined };
    const cyclic: Record<string, unknown> = { accounts };
    cyclic.self = cyclic;

    // Act
    const text = written(cyclic).join('');

    // Assess
    expect(text).toBe(`${toJson(cyclic)}\n`);
  });
});

describe('Function: jsonChunks, on Python values (the settings check writes SPA dicts directly)', () => {
  const at = { line: 1, column: 1 };
  const scalar: fc.Arbitrary<PyScalar> = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.constantFrom(2n ** 60n, -(2n ** 70n), 12n, Number.NaN, Infinity, -Infinity, -0, 1e21, 0.5),
    fc.string({ maxLength: 6 }),
    fc.constantFrom('__proto__', 'toString', '0', '1', '10', '01', '4294967294', '4294967295', '-1', 'é\u2028"\\', '\ud800'),
    fc.double().map((v) => new PyFloat(v)),
    fc.constantFrom(new YamlTimestamp('2024-01-31', false), new YamlBinary('aGk=')),
  );
  const key: fc.Arbitrary<PyScalar> = fc.oneof(
    fc.constantFrom('a', 'b', '__proto__', '0', '1', '2', '10', '4294967295', 'identifier', 'None', 'True', '1.5'),
    fc.constantFrom(null, true, false, 0, 1, 2, 10n ** 20n, new PyFloat(1), new PyFloat(1.5)),
  );
  const { value } = fc.letrec<{ value: PyValue; list: PyList; dict: PyDict }>((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('dict')),
    list: fc.array(tie('value'), { maxLength: 5 }).map((items) => new PyList(items, items.map(() => at), at)),
    dict: fc.array(fc.tuple(key, tie('value')), { maxLength: 6 }).map((pairs) => {
      const dict = new PyDict(at);
      for (const [k, v] of pairs) dict.set(k, v, at, at);
      return dict;
    }),
  }));

  /** What writing the plain objects gives: the reference. */
  const reference = (root: unknown): string => `${toJson(root)}\n`;
  const direct = (root: unknown, wholeNodes?: number): string => [...jsonChunks(root, wholeNodes)].join('');

  it('writes what the plain objects of pyToSettingsValue would give', () => {
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 3 }), (py, nesting) => {
        let root: unknown = { effective: py };
        let plain: unknown = { effective: pyToSettingsValue(py) };
        for (let i = 0; i < nesting; i += 1) {
          root = [root];
          plain = [plain];
        }
        expect(direct(root)).toBe(reference(plain));
        // member by member down to the leaves
        expect(direct(root, 2)).toBe(reference(plain));
      }),
      { numRuns: 1500 },
    );
  });

  it('writes large dicts and lists member by member, in chunks of whole lines, with the same text', () => {
    const accounts = new PyDict(at);
    for (let i = 0; i < 3000; i += 1) {
      const item = new PyDict(at);
      item.set('identifier', String(100000000000 + i), at, at);
      item.set('tags', new PyList(Array.from({ length: 70 }, (_, j) => `t${j}`), [], at), at, at);
      item.set(i, i % 2 === 0, at, at);
      accounts.set(String(100000000000 + i), item, at, at);
    }
    const root = { valid: true, environments: [{ effective: { accounts, organizational_units: new PyDict(at) } }] };
    const chunks = [...jsonChunks(root)];
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks) expect(chunk.endsWith('\n')).toBe(true);
    expect(chunks.join('')).toBe(reference({ valid: true, environments: [{ effective: { accounts: pyToSettingsValue(accounts), organizational_units: {} } }] }));
  });

  it('writes a small dict holding a large list in chunks too (never one huge string)', () => {
    const big = new PyList(Array.from({ length: 200_000 }, (_, i) => `value ${i}`), [], at);
    const holder = new PyDict(at);
    holder.set('big', big, at, at);
    const chunks = [...jsonChunks({ effective: holder })];
    expect(chunks.length).toBeGreaterThan(20);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(70 * 1024);
    expect(chunks.join('')).toBe(reference({ effective: pyToSettingsValue(holder) }));
  });

  it('caps the depth as toJsonSafe does', () => {
    let deep: PyValue = 'bottom';
    for (let i = 0; i < 80; i += 1) deep = new PyList([deep, i], [at, at], at);
    const wide = new PyList(Array.from({ length: 100 }, () => deep), [], at);
    expect(direct({ deep: wide })).toBe(reference({ deep: pyToSettingsValue(wide) }));
    expect(toJson({ deep })).toBe(toJson({ deep: pyToSettingsValue(deep) }));
  });
});
