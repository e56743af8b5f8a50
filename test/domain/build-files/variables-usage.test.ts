import { checkVariablesUsage, locateInCsvHeader, locateInSettings, providedByBuild, settingsVariables, type TemplateUsage } from '../../../shared/domain/build-files/variables-usage';
import { pythonItemsOf, type EffectiveSettings } from '../../../shared/domain/settings/effective-settings';
import { checkSettings } from '../../../shared/domain/settings/settings-loader';
import { MemorySource } from '../../support/memory-source';

function effective(): EffectiveSettings {
  const item = (id: string, preparation: Record<string, string>, purge: Record<string, string> = {}) => ({
    identifier: id,
    account_tags: {},
    preparation: { feature: 'enabled', variables: preparation },
    purge: { feature: 'enabled', variables: purge },
  });
  return {
    accounts: { '123456789012': item('123456789012', { BUDGET_NAME: 'a', ALERT_TRESHOLD: '80' }), '210987654321': item('210987654321', { BUDGET_NAME: 'b' }, { MAXIMUM_AGE: '6M' }) },
    organizational_units: { 'ou-ab12-34cd56ef': item('ou-ab12-34cd56ef', { BUDGET_NAME: 'c' }) },
    attributes: { defaults: { preparation: { variables: { BUDGET_NAME: 'd', ONLY_DEFAULT: 'x' } } } },
  };
}

function template(reads: Record<string, [number, number]>, extra: Partial<TemplateUsage> = {}): TemplateUsage {
  return {
    file: 'env/buildspec/preparation.yaml',
    reads: new Map(Object.entries(reads).map(([name, [line, column]]) => [name, { line, column }])),
    declared: new Set(),
    assigned: new Set(),
    readsEverything: false,
    ...extra,
  };
}

const locate = async (name: string) => ({ file: 'env/settings.yaml', line: name.length, column: 7 });

describe('Function: settingsVariables', () => {
  it('counts the accounts and units that get each name, defaults included', () => {
    // Act
    const names = settingsVariables(effective(), 'preparation');

    // Assess
    expect(Object.fromEntries(names)).toEqual({ BUDGET_NAME: 3, ALERT_TRESHOLD: 1, ONLY_DEFAULT: 0 });
  });

  it('reads the same names from the Python dicts of a settings check as from plain objects', async () => {
    // Prepare: non-string variable names, two names that are one after str(), a CSV account, a unit, defaults
    const settings = [
      'features:',
      '  with_csv_files: [accounts.csv]',
      'defaults:',
      '  preparation:',
      '    variables: {BUDGET_NAME: d, ONLY_DEFAULT: x}',
      'accounts:',
      "  - identifier: '123456789012'",
      '    preparation:',
      "      variables: {1: a, '1': b, yes: c, ALERT: 80}",
      'organizational_units:',
      '  - identifier: ou-ab12-34cd56ef',
      '    purge:',
      '      variables: {MAXIMUM_AGE: 6M}',
      '',
    ].join('\n');
    const csv = 'Account,Preparation: FROM_CSV\n210987654321,z\n123456789012,w\n';
    const checked = await checkSettings({ source: new MemorySource({ 'env/settings.yaml': settings, 'env/accounts.csv': csv }), settingsFile: 'env/settings.yaml', environmentFolder: 'env' });
    const lazy = checked.effective as EffectiveSettings;
    expect(pythonItemsOf(lazy)).toBeDefined();

    // Act: from the dicts first (reading the plain objects lets the dicts go), then from the plain objects
    const fromPython = (['preparation', 'purge'] as const).map((kind) => settingsVariables(lazy, kind));
    const plain: EffectiveSettings = { accounts: { ...lazy.accounts }, organizational_units: { ...lazy.organizational_units }, attributes: lazy.attributes };
    const fromPlain = (['preparation', 'purge'] as const).map((kind) => settingsVariables(plain, kind));

    // Assess
    expect(fromPython.map((names) => Object.fromEntries(names))).toEqual(fromPlain.map((names) => Object.fromEntries(names)));
    expect(fromPython.every((names) => names.size > 0)).toBe(true);
    expect(fromPython[0]?.get('1')).toBe(1);
  });

  it('keeps purge apart from preparation', () => {
    // Act
    const names = settingsVariables(effective(), 'purge');

    // Assess
    expect([...names.keys()]).toEqual(['MAXIMUM_AGE']);
  });
});

describe('Function: checkVariablesUsage', () => {
  it('warns about a name set but never read, and a name read but set nowhere, each with the other as suggestion', async () => {
    // Prepare
    const set = new Map([['BUDGET_NAME', 3], ['ALERT_TRESHOLD', 1]]);

    // Act
    const found = await checkVariablesUsage({ kind: 'preparation', template: template({ BUDGET_NAME: [5, 9], ALERT_THRESHOLD: [7, 20] }), set, readByScripts: () => false, locate });

    // Assess
    expect(found).toEqual([
      {
        file: 'env/settings.yaml',
        line: 14,
        column: 7,
        severity: 'warning',
        code: 'variable-set-but-unused',
        message: "preparation.variables sets 'ALERT_TRESHOLD' (for 1 account or unit), but env/buildspec/preparation.yaml, the preparation template, never reads it",
        hint: 'did you mean ALERT_THRESHOLD? (the template reads $ALERT_THRESHOLD)',
      },
      {
        file: 'env/buildspec/preparation.yaml',
        line: 7,
        column: 20,
        severity: 'warning',
        code: 'variable-read-but-unset',
        message:
          'the preparation template reads $ALERT_THRESHOLD, but nothing sets it: not the settings (preparation.variables), not the template (env.variables or a command), not SPA nor CodeBuild; bash expands it to an empty string',
        hint: 'did you mean ALERT_TRESHOLD?',
      },
    ]);
  });

  it('accepts what SPA, CodeBuild, the shell and the template itself set', async () => {
    // Prepare
    const reads = { BUDGET_EMAIL: [1, 1], TOPIC_ARN: [1, 2], CODEBUILD_BUILD_ID: [1, 3], AWS_REGION: [1, 4], HOME: [1, 5], ACCOUNT: [1, 6], DEFAULTED: [1, 7] } as Record<string, [number, number]>;

    // Act
    const found = await checkVariablesUsage({
      kind: 'preparation',
      template: template(reads, { assigned: new Set(['ACCOUNT']), declared: new Set(['DEFAULTED']) }),
      set: new Map(),
      readByScripts: () => false,
      locate,
    });

    // Assess
    expect(found).toEqual([]);
  });

  it('knows that SPA passes TOPIC_ARN to preparation only', async () => {
    // Act
    const found = await checkVariablesUsage({ kind: 'purge', template: template({ TOPIC_ARN: [3, 4], EVENT_BUS_ARN: [4, 4] }), set: new Map(), readByScripts: () => false, locate });

    // Assess
    expect(found.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['variable-read-but-unset@3:4']);
  });

  it('counts names declared under env.variables and names read by scripts as read', async () => {
    // Act
    const found = await checkVariablesUsage({
      kind: 'purge',
      template: template({}, { declared: new Set(['TAG_KEY']) }),
      set: new Map([['TAG_KEY', 1], ['USED_BY_SCRIPT', 1]]),
      readByScripts: (name) => name === 'USED_BY_SCRIPT',
      locate,
    });

    // Assess
    expect(found).toEqual([]);
  });

  it('reports nothing unused when the template dumps the environment', async () => {
    // Act
    const found = await checkVariablesUsage({ kind: 'purge', template: template({}, { readsEverything: true }), set: new Map([['ANY', 1]]), readByScripts: () => false, locate });

    // Assess
    expect(found).toEqual([]);
  });

  it('tells a defaults-only name from a name given to accounts', async () => {
    // Act
    const found = await checkVariablesUsage({ kind: 'preparation', template: template({}), set: new Map([['ONLY_DEFAULT', 0]]), readByScripts: () => false, locate });

    // Assess
    expect(found[0]?.message).toBe("preparation.variables sets 'ONLY_DEFAULT' in defaults, but env/buildspec/preparation.yaml, the preparation template, never reads it");
  });

  it.each(['AWS_SESSION_TOKEN', 'CODEBUILD_SRC_DIR', 'PATH', 'BASH_SOURCE', 'ENVIRONMENT_IDENTIFIER'])('counts %s as provided by the build', (name) => {
    expect(providedByBuild(name, 'purge')).toBe(true);
  });
});

describe('Function: locateInSettings', () => {
  const text = [
    'defaults:',
    '  account_tags:',
    '    BUDGET_NAME: not-a-variable',
    '  preparation:',
    '    variables:',
    '      BUDGET_NAME: x',
    '  purge:',
    '    variables:',
    "      'MAXIMUM_AGE': 6M",
    'accounts:',
    "  - identifier: '123456789012'",
    '    preparation:',
    '      variables:',
    '        ONLY_HERE: 1',
    '    note: "flow"',
    'organizational_units: [{identifier: ou-x, purge: {variables: {FLOW_NAME: 1}}}]',
  ].join('\n');

  it.each([
    ['preparation', 'BUDGET_NAME', { line: 6, column: 7, exact: true }],
    ['purge', 'MAXIMUM_AGE', { line: 9, column: 7, exact: true }],
    ['preparation', 'ONLY_HERE', { line: 14, column: 9, exact: true }],
    ['purge', 'BUDGET_NAME', { line: 3, column: 5, exact: false }],
    ['purge', 'FLOW_NAME', { line: 16, column: 63, exact: false }],
    ['purge', 'NOWHERE', undefined],
  ] as const)('finds the %s variable %s', (kind, name, expected) => {
    // Act
    const at = locateInSettings(text, kind, name);

    // Assess
    expect(at).toEqual(expected);
  });
});

describe('Function: locateInCsvHeader', () => {
  it('finds the column of a Preparation: or Purge: header cell', () => {
    // Prepare
    const text = 'Account, Note, Preparation: BUDGET_EMAIL, "Purge: TAG_VALUE"\n123456789012,,a,b\n';

    // Act
    const found = [locateInCsvHeader(text, 'preparation', 'BUDGET_EMAIL'), locateInCsvHeader(text, 'purge', 'TAG_VALUE'), locateInCsvHeader(text, 'purge', 'BUDGET_EMAIL')];

    // Assess
    expect(found).toEqual([{ line: 1, column: 16 }, { line: 1, column: 43 }, undefined]);
  });
});
