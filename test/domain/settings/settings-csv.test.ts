import { LIMITS } from '../../../shared/domain/settings/limits';
import { checkEnvironment, errors, where } from '../../support/check-settings';

const COMPLETE_DEFAULTS = 'defaults:\n  account_tags: {managed-by: SPA}\n  preparation: {variables: {BUDGET: 500}}\n  purge: {variables: {AGE: 9M}}\n';
const WITH_CSV = (files: string[]): string => `features:\n  with_csv_files: [${files.join(', ')}]\n`;

describe('Function: checkSettings, CSV account lists', () => {
  it('creates CSV-only accounts as copies of defaults, with stripped string values', async () => {
    const csv = 'Account, Note, Tag: cost-center, Preparation: BUDGET, Purge: AGE\n012345678901, Alice , Research, 2000, 3M\n';
    const result = await checkEnvironment(COMPLETE_DEFAULTS + WITH_CSV(['a.csv']), { 'a.csv': csv });
    expect(result.diagnostics).toEqual([]);
    expect(result.effective?.accounts).toEqual({
      '012345678901': {
        account_tags: { 'managed-by': 'SPA', 'cost-center': 'Research' },
        preparation: { variables: { BUDGET: '2000' } },
        purge: { variables: { AGE: '3M' } },
        identifier: '012345678901',
        note: 'Alice',
      },
    });
    expect(result.referencedFiles).toEqual([{ path: 'env/a.csv', kind: 'csv', line: 6, column: 20, exists: true }]);
  });

  it('updates an account of the YAML settings in place, files in list order, rows in file order', async () => {
    const yaml = `${COMPLETE_DEFAULTS}accounts:\n  - identifier: '123456789012'\n    note: from yaml\n    account_tags: {team: a}\n${WITH_CSV(['a.csv', 'b.csv'])}`;
    const result = await checkEnvironment(yaml, {
      'a.csv': 'Account,Note,Tag: team\n123456789012,,b\n210987654321,new,x\n',
      'b.csv': 'Account,Tag: team\n123456789012,c\n',
    });
    expect(result.diagnostics).toEqual([]);
    const accounts = result.effective?.accounts ?? {};
    expect(Object.keys(accounts)).toEqual(['123456789012', '210987654321']);
    expect(accounts['123456789012']).toMatchObject({ note: 'from yaml', account_tags: { team: 'c', 'managed-by': 'SPA' } });
    expect(accounts['210987654321']).toMatchObject({ note: 'new', account_tags: { 'managed-by': 'SPA', team: 'x' } });
  });

  it('stores a copy of an account that YAML also names elsewhere (an alias): a CSV row changes the copy only', async () => {
    const account = "{identifier: '123456789012', note: from yaml}";
    const itemAliased = `${COMPLETE_DEFAULTS}automation:\n  tags: &a ${account}\naccounts:\n  - *a\n${WITH_CSV(['a.csv'])}`;
    const listAliased = `${COMPLETE_DEFAULTS}automation:\n  tags: {list: &l [${account}]}\naccounts: *l\n${WITH_CSV(['a.csv'])}`;
    const csv = { 'a.csv': 'Account,Note\n123456789012,from csv\n' };

    const results = await Promise.all([checkEnvironment(itemAliased, csv), checkEnvironment(listAliased, csv)]);

    for (const result of results) expect(result.effective?.accounts['123456789012']?.note).toBe('from csv');
    expect(results[0]?.effective?.attributes.automation_tags).toMatchObject({ identifier: '123456789012', note: 'from yaml' });
    expect(results[1]?.effective?.attributes.automation_tags).toMatchObject({ list: [{ identifier: '123456789012', note: 'from yaml' }] });
  });

  it('gives CSV-only accounts the feature SPA filled into defaults while completing YAML items', async () => {
    const yaml = `${COMPLETE_DEFAULTS}accounts:\n  - identifier: '123456789012'\n${WITH_CSV(['a.csv'])}`;
    const result = await checkEnvironment(yaml, { 'a.csv': 'Account\n210987654321\n' });
    expect(result.effective?.accounts['210987654321']?.preparation).toEqual({ variables: { BUDGET: 500 }, feature: 'disabled' });
  });

  it('changes every account sharing an aliased mapping, as in Python', async () => {
    const yaml = `defaults:\n  account_tags: &tags {managed-by: SPA}\n  preparation: {variables: {}}\n  purge: {variables: {}}\naccounts:\n  - identifier: '123456789012'\n    account_tags: *tags\n${WITH_CSV(['a.csv'])}`;
    const result = await checkEnvironment(yaml, { 'a.csv': 'Account,Tag: team\n123456789012,blue\n210987654321,red\n' });
    expect(result.effective?.attributes.defaults).toMatchObject({ account_tags: { 'managed-by': 'SPA', team: 'blue' } });
    expect(result.effective?.accounts['210987654321']?.account_tags).toEqual({ 'managed-by': 'SPA', team: 'red' });
  });

  it('refuses a CSV-only account when defaults lacks account_tags or variables', async () => {
    const result = await checkEnvironment(`defaults:\n  account_tags: {}\n${WITH_CSV(['a.csv'])}`, { 'a.csv': 'Account\n210987654321\n333333333333\n' });
    expect(where(result.diagnostics)).toEqual(['env/a.csv csv-defaults-incomplete@2:1']);
    expect(result.diagnostics[0]?.message).toContain('preparation.variables, purge.variables');
  });

  it('refuses a CSV-only account when defaults holds a date json.dumps cannot copy', async () => {
    const result = await checkEnvironment(`${COMPLETE_DEFAULTS}  note: 2024-01-31\n${WITH_CSV(['a.csv'])}`, { 'a.csv': 'Account\n210987654321\n' });
    expect(where(result.diagnostics)).toEqual(['csv-defaults-not-copyable@5:9']);
  });

  it('refuses a missing CSV file at its place in the list', async () => {
    const result = await checkEnvironment(WITH_CSV(['a.csv', 'missing.csv']), { 'a.csv': 'Account\n' });
    expect(where(result.diagnostics)).toEqual(['file-missing@2:27']);
    expect(result.diagnostics[0]?.message).toContain('FileNotFoundError');
    expect(result.referencedFiles.map((f) => [f.path, f.exists])).toEqual([['env/a.csv', true], ['env/missing.csv', false]]);
  });

  it('refuses a CSV path that leaves the environment folder', async () => {
    const result = await checkEnvironment(WITH_CSV(['../shared/a.csv']));
    expect(where(result.diagnostics)).toEqual(['referenced-path-invalid@2:20']);
  });

  it('refuses a CSV file reached through a symbolic link without reading it', async () => {
    const result = await checkEnvironment(WITH_CSV(['lists/a.csv']), { lists: { kind: 'symlink' } });
    expect(where(result.diagnostics)).toEqual(['symlink-not-followed@2:20']);
  });

  it('refuses a CSV entry that is not a string', async () => {
    const result = await checkEnvironment(WITH_CSV(['12']));
    expect(where(result.diagnostics)).toEqual(['csv-path-not-a-string@2:20']);
  });

  it(`refuses more than ${LIMITS.maxCsvFiles} CSV files`, async () => {
    const names = Array.from({ length: LIMITS.maxCsvFiles + 1 }, (_, i) => `f${i}.csv`);
    const files = Object.fromEntries(names.map((n) => [n, 'Account\n']));
    const result = await checkEnvironment(WITH_CSV(names), files);
    expect(where(result.diagnostics)).toEqual(['too-many-csv-files@2:19']);
  });

  it('reports CSV problems in the CSV file, at the cell', async () => {
    const result = await checkEnvironment(COMPLETE_DEFAULTS + WITH_CSV(['a.csv']), { 'a.csv': 'Account,tag: x\n123456789012,a\n' });
    expect(where(result.diagnostics)).toEqual(['env/a.csv csv-header-unknown-label@1:9']);
    expect(result.diagnostics[0]?.hint).toBe('labels are case-sensitive: write Tag: x');
  });

  it('explains a byte-order mark that spoils the first header', async () => {
    const result = await checkEnvironment(COMPLETE_DEFAULTS + WITH_CSV(['a.csv']), { 'a.csv': '\uFEFFAccount\n123456789012\n' });
    expect(where(result.diagnostics)).toEqual(['env/a.csv csv-header-unknown-label@1:1']);
    expect(result.diagnostics[0]?.hint).toContain('byte-order mark');
  });

  it('accepts an unknown header in a file without rows, as SPA does', async () => {
    const result = await checkEnvironment(WITH_CSV(['a.csv']), { 'a.csv': 'Acount\n' });
    expect(result.diagnostics).toEqual([]);
  });

  it('only warns about a Tag column without a key, which SPA accepts', async () => {
    const result = await checkEnvironment(COMPLETE_DEFAULTS + WITH_CSV(['a.csv']), { 'a.csv': 'Account,Tag\n123456789012,a\n' });
    expect(where(result.diagnostics)).toEqual(['env/a.csv csv-header-without-key@1:9']);
    expect(result.effective?.accounts['123456789012']?.account_tags).toEqual({ 'managed-by': 'SPA', None: 'a' });
  });

  it('refuses a blank first line, which becomes an empty header', async () => {
    const result = await checkEnvironment(COMPLETE_DEFAULTS + WITH_CSV(['a.csv']), { 'a.csv': '\nAccount\n123456789012\n' });
    expect(where(result.diagnostics)).toEqual(['env/a.csv csv-header-blank@1:1']);
  });

  it('warns about a repeated column', async () => {
    const result = await checkEnvironment(COMPLETE_DEFAULTS + WITH_CSV(['a.csv']), { 'a.csv': 'Account,Tag: x, Tag:x\n123456789012,a,b\n' });
    expect(where(result.diagnostics)).toEqual(['env/a.csv csv-duplicate-column@1:16']);
    expect(result.effective?.accounts['123456789012']?.account_tags).toMatchObject({ x: 'b' });
  });

  it('refuses rows longer or shorter than the header, and rows without account', async () => {
    const csv = 'Account,Note\n123456789012,a,b\n210987654321\n,note\n';
    const result = await checkEnvironment(COMPLETE_DEFAULTS + WITH_CSV(['a.csv']), { 'a.csv': csv });
    expect(where(result.diagnostics)).toEqual(['env/a.csv csv-row-too-long@2:16', 'env/a.csv csv-row-too-short@3:13', 'env/a.csv csv-account-missing@4:1']);
    expect(result.diagnostics[2]?.message).toContain("Missing value in column 'Account'");
  });

  it('only warns about an account id that is not 12 digits, which SPA does not check', async () => {
    const result = await checkEnvironment(COMPLETE_DEFAULTS + WITH_CSV(['a.csv']), { 'a.csv': 'Account\n12345678901\n' });
    expect(where(result.diagnostics)).toEqual(['env/a.csv csv-account-identifier-invalid@2:1']);
    expect(result.diagnostics[0]?.hint).toContain('012345678901');
  });

  it('explains a quote that follows a space and splits the cell', async () => {
    const result = await checkEnvironment(COMPLETE_DEFAULTS + WITH_CSV(['a.csv']), { 'a.csv': 'Account,Tag: x\n123456789012, "a, b"\n' });
    expect(where(result.diagnostics)).toEqual(['env/a.csv csv-stray-quote@2:15', 'env/a.csv csv-row-too-long@2:18', 'env/a.csv csv-stray-quote@2:20']);
    expect(result.diagnostics[0]?.hint).toBe('remove the space between the comma and the opening quote');
  });

  it('warns about an unterminated quote', async () => {
    const result = await checkEnvironment(COMPLETE_DEFAULTS + WITH_CSV(['a.csv']), { 'a.csv': 'Account,Tag: x\n123456789012,"a\n' });
    expect(where(result.diagnostics)).toEqual(['env/a.csv csv-unterminated-quote@2:14']);
  });

  it('refuses a cell larger than the csv field limit', async () => {
    const result = await checkEnvironment(COMPLETE_DEFAULTS + WITH_CSV(['a.csv']), { 'a.csv': `Account,Note\n123456789012,"${'x'.repeat(140000)}"\n` });
    expect(where(result.diagnostics)).toEqual(['env/a.csv csv-field-too-large@2:14']);
  });

  it(`refuses more than ${LIMITS.maxCsvRows} rows`, async () => {
    const rows = Array.from({ length: LIMITS.maxCsvRows + 1 }, () => '123456789012').join('\n');
    const result = await checkEnvironment(COMPLETE_DEFAULTS + WITH_CSV(['a.csv']), { 'a.csv': `Account\n${rows}\n` });
    expect(errors(result).map((d) => d.code)).toEqual(['csv-too-many-rows']);
  });

  it('reports invalid UTF-8 in a CSV file in that file', async () => {
    const result = await checkEnvironment(WITH_CSV(['a.csv']), { 'a.csv': new Uint8Array([0x41, 0x0a, 0xc3, 0x28]) });
    expect(where(result.diagnostics)).toEqual(['env/a.csv invalid-utf8@2:1']);
  });
});
