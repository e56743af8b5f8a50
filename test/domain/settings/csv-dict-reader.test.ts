import fc from 'fast-check';
import { CSV_FIELD_LIMIT, dictReader, readCsvRecords } from '../../../shared/domain/settings/csv-dict-reader';
import { pythonAvailable, pythonDictReader } from '../../support/pyyaml-oracle';

function values(text: string): [string | null, unknown][][] {
  return dictReader(text).rows.map((row) => row.fields.map((f) => [f.name, f.value]));
}

describe('Function: dictReader', () => {
  it('reads the header and rows as Python csv.DictReader', () => {
    const result = dictReader('Account,Note\n123456789012,hello\n');
    expect(result.header?.map((c) => c.text)).toEqual(['Account', 'Note']);
    expect(values('Account,Note\n123456789012,hello\n')).toEqual([[['Account', '123456789012'], ['Note', 'hello']]]);
  });

  it('keeps spaces around values (no skipinitialspace)', () => {
    expect(values('A, B\n1, 2 \n')).toEqual([[['A', '1'], [' B', ' 2 ']]]);
  });

  it('undoes quoting and doubled quotes, and keeps commas and newlines inside quotes', () => {
    expect(values('A,B\n"x, y","say ""hi""\nthere"\n')).toEqual([[['A', 'x, y'], ['B', 'say "hi"\nthere']]]);
  });

  it('honours a quote only at the very start of a cell', () => {
    const result = dictReader('A,B\n1, "x, y"\n');
    expect(result.rows[0]?.fields.map((f) => [f.name, f.value])).toEqual([['A', '1'], ['B', ' "x'], [null, [' y"']]]);
    expect(result.notices).toEqual([
      expect.objectContaining({ kind: 'stray-quote', line: 2, column: 4, afterSpace: true }),
      expect.objectContaining({ kind: 'stray-quote', line: 2, column: 9, afterSpace: false }),
    ]);
  });

  it('appends text after a closing quote, as the non-strict reader does', () => {
    expect(values('A\n"ab"c\n')).toEqual([[['A', 'abc']]]);
  });

  it('skips blank lines but keeps a line of spaces as a row', () => {
    expect(values('A\n\n1\n\n \n')).toEqual([[['A', '1']], [['A', ' ']]]);
  });

  it('reads CRLF and lone CR as line ends, also inside quotes (universal newlines)', () => {
    expect(values('A,B\r\n1,"x\r\ny"\r2,z\r\n')).toEqual([[['A', '1'], ['B', 'x\ny']], [['A', '2'], ['B', 'z']]]);
  });

  it('files the extra cells of a long row under the key null', () => {
    expect(values('A,B\n1,2,3,4\n')).toEqual([[['A', '1'], ['B', '2'], [null, ['3', '4']]]]);
  });

  it('fills the missing cells of a short row with null', () => {
    expect(values('A,B,C\n1\n')).toEqual([[['A', '1'], ['B', null], ['C', null]]]);
  });

  it('keeps the last value of a repeated column in the place of the first', () => {
    expect(values('A,B,A\n1,2,3\n')).toEqual([[['A', '3'], ['B', '2']]]);
    expect(values('A,B,A\n1,2\n')).toEqual([[['A', null], ['B', '2']]]);
  });

  it('takes a blank first line as an empty header', () => {
    const result = dictReader('\nA,B\n1,2\n');
    expect(result.header).toEqual([]);
    expect(result.rows.map((r) => r.fields)).toEqual([[expect.objectContaining({ name: null, value: ['A', 'B'] })], [expect.objectContaining({ name: null, value: ['1', '2'] })]]);
  });

  it('gives no header for an empty file', () => {
    expect(dictReader('')).toEqual({ header: undefined, rows: [], notices: [], truncated: false });
  });

  it('reads an unterminated quote to the end of the file and notes it', () => {
    const result = dictReader('A,B\n1,"x\n2,y\n');
    expect(result.rows.map((r) => r.fields.map((f) => f.value))).toEqual([['1', 'x\n2,y\n']]);
    expect(result.notices).toEqual([expect.objectContaining({ kind: 'unterminated-quote', line: 2, column: 3 })]);
  });

  it('gives the line and column of every cell, in characters', () => {
    const [header, row] = readCsvRecords('Account, Tag: é\n😀1,"two\nlines",x\n').records;
    expect(header?.cells.map((c) => [c.text, c.line, c.column])).toEqual([['Account', 1, 1], [' Tag: é', 1, 9]]);
    expect(row?.cells.map((c) => [c.line, c.column])).toEqual([[2, 1], [2, 4], [3, 8]]);
    expect(row).toMatchObject({ line: 2, endLine: 3, endColumn: 9 });
  });

  it(`fails like Python on a cell longer than ${CSV_FIELD_LIMIT} characters`, () => {
    const result = dictReader(`A\n${'x'.repeat(CSV_FIELD_LIMIT + 1)}\n`);
    expect(result.failure).toEqual({ kind: 'field-too-large', line: 2, column: 1, message: `field larger than field limit (${CSV_FIELD_LIMIT})` });
    expect(dictReader(`A\n${'x'.repeat(CSV_FIELD_LIMIT)}\n`).failure).toBeUndefined();
  });

  it('stops after the row limit and says so', () => {
    const result = dictReader('A\n1\n2\n3\n', 2);
    expect(result.truncated).toBe(true);
  });
});

const withPython = pythonAvailable() ? describe : describe.skip;

withPython('Function: dictReader, compared with Python csv.DictReader', () => {
  it('agrees on 4,000 generated files', () => {
    const atoms = ['a', 'B', ',', ',,', '"', '""', '"x"', ' ', '\n', '\r\n', '\r', 'é', '😀', 'Tag: x', '\t', '\0', 'x"y'];
    let state = 7;
    const next = (): number => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    const inputs = Array.from({ length: 4000 }, () => {
      let text = '';
      const n = Math.floor(next() * 16);
      for (let j = 0; j < n; j += 1) text += atoms[Math.floor(next() * atoms.length)];
      return text;
    });
    const theirs = pythonDictReader(inputs);
    const differences = inputs.flatMap((text, i) => {
      const r = dictReader(text);
      const mine = r.failure ? { error: r.failure.message } : { ok: { fieldnames: r.header ? r.header.map((c) => c.text) : null, rows: r.rows.map((row) => row.fields.map((f) => [f.name, f.value])) } };
      const expected = theirs[i];
      const wanted = expected && 'ok' in expected ? { ok: expected.ok } : { error: expected?.message };
      return JSON.stringify(mine) === JSON.stringify(wanted) ? [] : [{ text, mine, wanted }];
    });
    expect(differences).toEqual([]);
  });
});

describe('Functions: readCsvRecords and dictReader, shortcuts', () => {
  it('read lines without quotes, and rows under distinct header names, as the general code does, positions included', () => {
    const atoms = ['a', 'B', ',', ',,', '"', '""', ' ', '\n', '\n', '\n', '\r\n', '\r', 'é', '😀', 'Tag: x', 'Account', 'Note', '\t', '\uFEFF', '123456789012', 'x"y'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...atoms), { maxLength: 30 }), fc.integer({ min: 0, max: 6 }), (parts, max) => {
        const text = parts.join('');
        expect(readCsvRecords(text, max)).toEqual(readCsvRecords(text, max, false));
        expect(readCsvRecords(text)).toEqual(readCsvRecords(text, Number.POSITIVE_INFINITY, false));
        expect(dictReader(text, max)).toEqual(dictReader(text, max, false));
      }),
      { numRuns: 3000 },
    );
  });
});
