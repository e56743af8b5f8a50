import { keyAt, valueAt, packPosition, PyFloat, pyFloatRepr, pyIsDigit, pyKeyId, pyLen, pyStr, pyStrip, pyTruthy, pyTypeName, PyDict, PyList, unpackPosition } from '../../../shared/domain/settings/python-values';
import { YamlTimestamp } from '../../../shared/domain/settings/settings-value';

describe('Module: python-values', () => {
  it.each([
    [1, '1.0'],
    [0.5, '0.5'],
    [1e16, '1e+16'],
    [1234567890123456, '1234567890123456.0'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [-2.5, '-2.5'],
    [-0, '-0.0'],
    [Infinity, 'inf'],
    [NaN, 'nan'],
    [1.5e300, '1.5e+300'],
  ])('writes the float %s as Python repr does: %s', (value, expected) => {
    expect(pyFloatRepr(value)).toBe(expected);
  });

  it('strips the characters Python str.strip() strips, not those of JS trim()', () => {
    expect(pyStrip('\u001c a \u0085')).toBe('a');
    expect(pyStrip('\uFEFFAccount')).toBe('\uFEFFAccount');
  });

  it("tells digits as Python's str.isdigit() does", () => {
    expect(pyIsDigit('012345678901')).toBe(true);
    expect(pyIsDigit('１２３')).toBe(true);
    expect(pyIsDigit('²')).toBe(true);
    expect(pyIsDigit('12a')).toBe(false);
    expect(pyIsDigit('')).toBe(false);
  });

  it('counts code points as Python len() does', () => {
    expect(pyLen('😀a')).toBe(2);
  });

  it('applies Python truthiness', () => {
    expect([null, false, 0, 0n, '', new PyFloat(0), new PyList([], [], { line: 1, column: 1 }), new PyDict({ line: 1, column: 1 })].map(pyTruthy)).toEqual(Array(8).fill(false));
    expect([true, 1, 'x', new PyFloat(NaN), new YamlTimestamp('2024-01-31', false)].map(pyTruthy)).toEqual(Array(5).fill(true));
  });

  it('names types as Python type().__name__', () => {
    expect([null, true, 1, 1n, 'x', new PyFloat(1), new YamlTimestamp('2024-01-31', false), new YamlTimestamp('2024-01-31 10:00:00', true)].map(pyTypeName)).toEqual([
      'NoneType', 'bool', 'int', 'int', 'str', 'float', 'date', 'datetime',
    ]);
  });

  it('identifies dictionary keys with Python equality', () => {
    expect(pyKeyId(1)).toBe(pyKeyId(true));
    expect(pyKeyId(new PyFloat(1))).toBe(pyKeyId(1));
    expect(pyKeyId('1')).not.toBe(pyKeyId(1));
    expect(pyKeyId(0)).toBe(pyKeyId(false));
  });

  it('writes values as Python str() does', () => {
    expect([null, true, 12, new PyFloat(1e16), new YamlTimestamp('2001-12-14t21:59:43.10-05:00', true)].map(pyStr)).toEqual([
      'None', 'True', '12', '1e+16', '2001-12-14 21:59:43.100000-05:00',
    ]);
  });
});

describe('Function: packPosition', () => {
  it('packs a line and a column into one number and back, for small and large positions alike', () => {
    // Prepare
    const positions = [
      { line: 1, column: 1 },
      { line: 0, column: 0 },
      { line: 1048575, column: 2047 },
      { line: 1048576, column: 1 },
      { line: 3, column: 2048 },
      { line: 5_242_880, column: 5_242_880 },
    ];

    // Act
    const packed = positions.map((p) => packPosition(p.line, p.column));

    // Assess
    expect(packed.map(unpackPosition)).toEqual(positions);
    expect(packed.slice(0, 3).every((n) => Number.isInteger(n) && n >= 0 && n < 2 ** 31)).toBe(true);
  });

  it('keeps the positions of entries a dict copies from another', () => {
    // Prepare
    const source = new PyDict({ line: 1, column: 1 });
    source.set('a', 1, { line: 2, column: 3 }, { line: 2, column: 6 }, undefined, '01');
    const target = new PyDict({ line: 9, column: 1 });

    // Act
    for (const entry of source.entries) target.setCopy(entry, 'defaults');

    // Assess
    const copied = target.getEntry('a');
    expect([(copied && keyAt(copied)), (copied && valueAt(copied)), copied?.copiedFrom, copied?.source]).toEqual([{ line: 2, column: 3 }, { line: 2, column: 6 }, 'defaults', '01']);
  });
});

