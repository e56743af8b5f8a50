import { settingsValuesEqual } from '../../../shared/domain/plan/value-equality';
import { YamlBinary, YamlTimestamp, type SettingsValue } from '../../../shared/domain/settings/settings-value';

describe('Function: settingsValuesEqual', () => {
  it('tells a number from the string of the same digits', () => {
    // Prepare
    const pairs: [SettingsValue, SettingsValue][] = [
      [1, '1'],
      [true, 'true'],
      [null, 'null'],
      [new YamlTimestamp('2024-01-31', false), '2024-01-31'],
    ];

    // Act
    const results = pairs.map(([a, b]) => settingsValuesEqual(a, b));

    // Assess
    expect(results).toEqual([false, false, false, false]);
  });

  it('reports a boolean that becomes a number, although Python has True == 1', () => {
    // Act & assess
    expect(settingsValuesEqual(true, 1)).toBe(false);
    expect(settingsValuesEqual(false, 0)).toBe(false);
  });

  it('treats an integer held as bigint like the same number, as Python ints are one type', () => {
    // Act & assess
    expect(settingsValuesEqual(5n, 5)).toBe(true);
    expect(settingsValuesEqual(5, 5.5)).toBe(false);
    expect(settingsValuesEqual(2n ** 70n, 2n ** 70n)).toBe(true);
  });

  it('ignores the key order of mappings but not the order of lists', () => {
    // Act & assess
    expect(settingsValuesEqual({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(settingsValuesEqual([1, 2], [2, 1])).toBe(false);
    expect(settingsValuesEqual({ a: 1 }, { a: 1, b: null })).toBe(false);
  });

  it('compares dates by text and binary values by content', () => {
    // Act & assess
    expect(settingsValuesEqual(new YamlTimestamp('2024-01-31', false), new YamlTimestamp('2024-01-31', false))).toBe(true);
    expect(settingsValuesEqual(new YamlTimestamp('2024-01-31', false), new YamlTimestamp('2024-02-01', false))).toBe(false);
    expect(settingsValuesEqual(new YamlBinary('aGVs\nbG8='), new YamlBinary('aGVsbG8='))).toBe(true);
  });

  it('considers NaN unchanged', () => {
    // Act & assess
    expect(settingsValuesEqual(Number.NaN, Number.NaN)).toBe(true);
  });

  it('ends on cyclic values built from recursive YAML aliases', () => {
    // Prepare
    const a: SettingsValue[] = [];
    a.push(a);
    const b: SettingsValue[] = [];
    b.push(b);

    // Act
    const result = settingsValuesEqual(a, b);

    // Assess
    expect(typeof result).toBe('boolean');
  });
});
