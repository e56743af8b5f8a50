import { lazyEffectiveSettings, pythonItemsOf, type EffectiveItem } from '../../../shared/domain/settings/effective-settings';
import { PyDict, pyStr, pyToSettingsValue } from '../../../shared/domain/settings/python-values';

const at = { line: 1, column: 1 };

function items(): { accounts: PyDict; organizational_units: PyDict } {
  const account = new PyDict(at);
  account.set('identifier', '123456789012', at, at);
  const accounts = new PyDict(at);
  accounts.set('123456789012', account, at, at);
  return { accounts, organizational_units: new PyDict(at) };
}

function plain(dict: PyDict): Record<string, EffectiveItem> {
  const result: Record<string, EffectiveItem> = {};
  for (const entry of dict.entries) result[pyStr(entry.key)] = pyToSettingsValue(entry.value) as unknown as EffectiveItem;
  return result;
}

describe('Function: lazyEffectiveSettings', () => {
  it('computes accounts and units once, when first read, and reads as a plain object', () => {
    // Prepare
    let conversions = 0;
    const effective = lazyEffectiveSettings(items(), { automation_region: 'eu-west-1' }, (dict) => {
      conversions += 1;
      return plain(dict);
    });

    // Act, Assess
    expect(conversions).toBe(0);
    expect(Object.keys(effective)).toEqual(['accounts', 'organizational_units', 'attributes']);
    expect(effective.accounts['123456789012']?.identifier).toBe('123456789012');
    expect(effective.accounts).toBe(effective.accounts);
    expect(conversions).toBe(1);
    expect(JSON.parse(JSON.stringify(effective))).toEqual({ accounts: { '123456789012': { identifier: '123456789012' } }, organizational_units: {}, attributes: { automation_region: 'eu-west-1' } });
    expect({ ...effective }).toEqual({ accounts: { '123456789012': { identifier: '123456789012' } }, organizational_units: {}, attributes: { automation_region: 'eu-west-1' } });
    expect(conversions).toBe(2);
  });

  it('gives its Python dicts until both sides were read, then lets them go', () => {
    // Prepare
    const dicts = items();
    const effective = lazyEffectiveSettings(dicts, {}, plain);

    // Act, Assess
    expect(pythonItemsOf(effective)).toBe(dicts);
    void effective.accounts;
    expect(pythonItemsOf(effective)).toBe(dicts);
    void effective.organizational_units;
    expect(pythonItemsOf(effective)).toBeUndefined();
    expect(pythonItemsOf({ accounts: {}, organizational_units: {}, attributes: {} })).toBeUndefined();
  });
});
