import { YamlBinary, YamlTimestamp } from '../../shared/domain/settings/settings-value';
import { formatValue } from '../../shared/rendering/settings-value-format';

describe('Function: formatValue', () => {
  it('shows the type of a scalar', () => {
    // Act
    const out = [1, '1', true, 'true', null, 2n ** 70n, Number.NaN, Infinity, 1.5].map((v) => formatValue(v));

    // Assess
    expect(out).toEqual(['1', '"1"', 'true', '"true"', 'null', '1180591620717411303424', '.nan', '.inf', '1.5']);
  });

  it('tells a date from a string and shows binary data as such', () => {
    // Act & assess
    expect(formatValue(new YamlTimestamp('2024-01-31', false))).toBe('2024-01-31');
    expect(formatValue('2024-01-31')).toBe('"2024-01-31"');
    expect(formatValue(new YamlBinary('aGk='))).toBe('!!binary aGk=');
  });

  it('writes lists and mappings in flow style', () => {
    // Act & assess
    expect(formatValue({ owner: 'a', budget: [1, '2'] })).toBe('{"owner": "a", "budget": [1, "2"]}');
  });

  it('stops early on a huge value and ends with an ellipsis', () => {
    // Prepare
    const huge = Array.from({ length: 100_000 }, (_, i) => `value-${i}`);

    // Act
    const out = formatValue(huge, 50);

    // Assess
    expect(out).toHaveLength(50);
    expect(out.endsWith('…')).toBe(true);
  });

  it('shows a line break inside a string as an escape, not a new line', () => {
    // Act & assess
    expect(formatValue('a\nb')).toBe('"a\\nb"');
  });
});
