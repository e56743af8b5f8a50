import { checkSettings } from '../../../shared/domain/settings/settings-loader';
import { LIMITS } from '../../../shared/domain/settings/limits';
import { MemorySource } from '../../support/memory-source';
import { checkEnvironment, errors, ONE_ACCOUNT, warnings, where } from '../../support/check-settings';

describe('Function: checkSettings', () => {
  describe('reading the settings file', () => {
    it('reports a missing settings file', async () => {
      const result = await checkSettings({ source: new MemorySource(), settingsFile: 'env/settings.yaml', environmentFolder: 'env' });
      expect(where(result.diagnostics)).toEqual(['file-missing@1:1']);
      expect(result.effective).toBeUndefined();
    });

    it('refuses a settings file that is a symbolic link', async () => {
      const source = new MemorySource({ 'env/settings.yaml': { kind: 'symlink' } });
      const result = await checkSettings({ source, settingsFile: 'env/settings.yaml', environmentFolder: 'env' });
      expect(where(result.diagnostics)).toEqual(['symlink-not-followed@1:1']);
    });

    it('refuses a settings path that is a folder', async () => {
      const source = new MemorySource({ 'env/settings.yaml/x': 'a: 1' });
      const result = await checkSettings({ source, settingsFile: 'env/settings.yaml', environmentFolder: 'env' });
      expect(where(result.diagnostics)).toEqual(['not-a-file@1:1']);
    });

    it('refuses a file over the size limit without reading it', async () => {
      const result = await checkEnvironment(new Uint8Array(LIMITS.maxFileBytes + 1));
      expect(where(result.diagnostics)).toEqual(['file-too-large@1:1']);
    });

    it('reports invalid UTF-8 with its position', async () => {
      const result = await checkEnvironment(new Uint8Array([0x61, 0x3a, 0x0a, 0x62, 0x3a, 0x20, 0xff]));
      expect(where(result.diagnostics)).toEqual(['invalid-utf8@2:4']);
    });

    it('reports a read failure of the repository as file-unreadable', async () => {
      const source = new MemorySource({ 'env/settings.yaml': 'a: 1' });
      source.failing.add('env/settings.yaml');
      const result = await checkSettings({ source, settingsFile: 'env/settings.yaml', environmentFolder: 'env' });
      expect(where(result.diagnostics)).toEqual(['file-unreadable@1:1']);
    });

    it('passes YAML errors through and computes no effective settings', async () => {
      const result = await checkEnvironment('automation:\n  region: [eu-west-1\n');
      expect(errors(result).map((d) => d.code)).toEqual(['yaml-syntax-error']);
      expect(result.effective).toBeUndefined();
    });
  });

  describe('top level', () => {
    it('refuses an empty file, on which SPA stops', async () => {
      const result = await checkEnvironment('# nothing yet\n');
      expect(where(result.diagnostics)).toEqual(['settings-empty@1:1']);
      expect(result.diagnostics[0]?.message).toContain("'NoneType' object has no attribute 'keys'");
    });

    it('refuses a top level that is a list', async () => {
      const result = await checkEnvironment('- a\n- b\n');
      expect(where(result.diagnostics)).toEqual(['settings-not-a-mapping@1:1']);
      expect(result.diagnostics[0]?.message).toContain("'list' object has no attribute 'keys'");
    });

    it('accepts an empty mapping and computes SPA defaults only', async () => {
      const result = await checkEnvironment('{}\n');
      expect(result.diagnostics).toEqual([]);
      expect(result.effective).toEqual({
        accounts: {},
        organizational_units: {},
        attributes: { defaults: {}, features_with_csv_files: null, features_with_end_user_documents: null },
      });
    });
  });

  describe('attributes and flattening', () => {
    it('flattens sections into SPA attribute names', async () => {
      const result = await checkEnvironment('environment_identifier: SpaProd\nautomation:\n  region: eu-west-1\n  tags: {team: ops}\nfeatures:\n  with_arm_architecture: true\n');
      expect(result.diagnostics).toEqual([]);
      expect(result.effective?.attributes).toEqual({
        defaults: {},
        features_with_csv_files: null,
        features_with_end_user_documents: null,
        environment_identifier: 'SpaProd',
        automation_region: 'eu-west-1',
        automation_tags: { team: 'ops' },
        features_with_arm_architecture: true,
      });
    });

    it('accepts attributes written flat at the top level too', async () => {
      const result = await checkEnvironment('automation_region: eu-west-1\n');
      expect(result.effective?.attributes.automation_region).toBe('eu-west-1');
    });

    it('refuses an unknown attribute at its key, with the name SPA builds and a suggestion', async () => {
      const result = await checkEnvironment('automation:\n  regoin: eu-west-1\n');
      expect(where(result.diagnostics)).toEqual(['unknown-attribute@2:3']);
      expect(result.diagnostics[0]?.message).toContain("Unknown configuration attribute 'automation_regoin'");
      expect(result.diagnostics[0]?.hint).toBe('did you mean automation.region?');
    });

    it('only warns about an unknown attribute whose value is empty, which SPA ignores', async () => {
      const result = await checkEnvironment('automation:\n  colour: null\n  size: 0\n  items: []\n');
      expect(where(result.diagnostics)).toEqual(['unknown-attribute-ignored@2:3', 'unknown-attribute-ignored@3:3', 'unknown-attribute-ignored@4:3']);
      expect(result.effective?.attributes).toMatchObject({ automation_colour: null, automation_size: 0, automation_items: [] });
    });

    it.each([
      ['automation:\n  region: 12\n', 'invalid-type@2:11', "Invalid type 'int' for configuration attribute 'automation_region'"],
      ['automation:\n  region: 2024-01-31\n', 'invalid-type@2:11', "Invalid type 'date'"],
      ['automation:\n  region: [a]\n', 'invalid-type@2:11', "Invalid type 'list'"],
      ['features:\n  with_arm_architecture: 1\n', 'invalid-type@2:26', "Invalid type 'int'"],
      ["features:\n  with_arm_architecture: 'true'\n", 'invalid-type@2:26', "Invalid type 'str'"],
      ['metering:\n  activities_ttl_in_seconds: 1.5\n', 'invalid-type@2:30', "Invalid type 'float'"],
      ["metering:\n  activities_ttl_in_seconds: '900'\n", 'invalid-type@2:30', "Invalid type 'str'"],
      ['automation:\n  tags: [a, b]\n', 'invalid-type@2:9', "Invalid type 'list'"],
      ['features:\n  with_csv_files: a.csv\n', 'invalid-type@2:19', "Invalid type 'str'"],
    ])('refuses a value of the wrong Python type: %j', async (text, expected, fragment) => {
      const result = await checkEnvironment(text);
      expect(where(result.diagnostics)).toEqual([expected]);
      expect(result.diagnostics[0]?.message).toContain(fragment);
    });

    it('hints to quote a number where a string is needed', async () => {
      const result = await checkEnvironment('automation:\n  account_id: 012345670123\n');
      expect(result.diagnostics[0]?.hint).toBe("quote the value: '012345670123'");
    });

    it('accepts true where an int is needed, since a Python bool is an int', async () => {
      const result = await checkEnvironment('metering:\n  activities_ttl_in_seconds: true\n');
      expect(result.diagnostics).toEqual([]);
    });

    it('checks neither name nor type of an empty value', async () => {
      const result = await checkEnvironment("automation:\n  region: ''\nfeatures:\n  with_arm_architecture: 0\n");
      expect(result.diagnostics).toEqual([]);
    });

    it('refuses a non-string top-level key with an empty value (SPA cannot set such an attribute)', async () => {
      const result = await checkEnvironment('on: null\n');
      expect(where(result.diagnostics)).toEqual(['invalid-top-level-key@1:1']);
    });

    it('refuses a non-string top-level key with a value as an unknown attribute', async () => {
      const result = await checkEnvironment('1: x\n');
      expect(where(result.diagnostics)).toEqual(['unknown-attribute@1:1']);
    });

    it('warns about a key YAML reads as a number inside tags', async () => {
      const result = await checkEnvironment('automation:\n  tags:\n    1: one\n');
      expect(where(result.diagnostics)).toEqual(['non-string-key@3:5']);
      expect(result.diagnostics[0]?.hint).toBe("quote the key: '1'");
    });

    it('reports every problem of the file, not only the first', async () => {
      const result = await checkEnvironment('automation:\n  regoin: x\n  region: 1\nfoo: bar\n');
      expect(where(errors(result))).toEqual(['unknown-attribute@2:3', 'invalid-type@3:11', 'unknown-attribute@4:1']);
    });
  });

  describe('accounts and organizational units', () => {
    it('completes accounts from defaults and keys them by identifier', async () => {
      const text = [
        'defaults:',
        '  account_tags: {managed-by: SPA, team: none}',
        '  preparation: {variables: {BUDGET: 500}}',
        '  note: default note',
        'accounts:',
        "  - identifier: '123456789012'",
        '    account_tags: {team: alpha}',
        '    preparation: {feature: enabled, variables: {EXTRA: x}}',
        '',
      ].join('\n');
      const result = await checkEnvironment(text);
      expect(result.diagnostics).toEqual([]);
      expect(result.effective?.accounts).toEqual({
        '123456789012': {
          identifier: '123456789012',
          account_tags: { team: 'alpha', 'managed-by': 'SPA' },
          preparation: { feature: 'enabled', variables: { EXTRA: 'x', BUDGET: 500 } },
          purge: { feature: 'disabled', variables: {} },
          note: 'default note',
        },
      });
      expect(result.effective?.attributes.defaults).toEqual({
        account_tags: { 'managed-by': 'SPA', team: 'none' },
        preparation: { variables: { BUDGET: 500 }, feature: 'disabled' },
        note: 'default note',
        purge: { feature: 'disabled', variables: {} },
      });
    });

    it('keeps items in file order', async () => {
      const result = await checkEnvironment("accounts:\n  - identifier: '222222222222'\n  - identifier: '111111111111'\n");
      expect(Object.keys(result.effective?.accounts ?? {})).toEqual(['222222222222', '111111111111']);
    });

    it('refuses accounts: null, over which SPA cannot loop', async () => {
      const result = await checkEnvironment('accounts:\n');
      expect(where(result.diagnostics)).toEqual(['items-not-iterable@1:10']);
      expect(result.diagnostics[0]?.message).toContain("'NoneType' object is not iterable");
    });

    it("accepts accounts: '' and accounts: [] as no accounts", async () => {
      expect((await checkEnvironment("accounts: ''\n")).diagnostics).toEqual([]);
      expect((await checkEnvironment('organizational_units: []\n')).effective?.organizational_units).toEqual({});
    });

    it('refuses an item that is not a mapping', async () => {
      const result = await checkEnvironment("accounts:\n  - '123456789012'\n");
      expect(where(result.diagnostics)).toEqual(['item-not-a-mapping@2:5']);
    });

    it('accepts defaults: null while no item needs completing from it', async () => {
      expect((await checkEnvironment('defaults:\n')).diagnostics).toEqual([]);
    });

    it('refuses defaults: null as soon as an item needs completing', async () => {
      const result = await checkEnvironment(`defaults:\n${ONE_ACCOUNT}`);
      expect(where(result.diagnostics)).toEqual(['defaults-not-a-mapping@1:10']);
      expect(result.diagnostics[0]?.message).toContain('line 3');
    });

    it('refuses a defaults section that is not a mapping, once', async () => {
      const result = await checkEnvironment(`defaults:\n  account_tags: [a]\n${ONE_ACCOUNT}  - identifier: '210987654321'\n`);
      expect(where(result.diagnostics)).toEqual(['defaults-section-not-a-mapping@2:17']);
    });

    it("refuses an item's section that is not a mapping", async () => {
      const result = await checkEnvironment(`${ONE_ACCOUNT}    account_tags: null\n    preparation: {variables: x}\n`);
      expect(where(result.diagnostics)).toEqual(['section-not-a-mapping@3:19', 'section-not-a-mapping@4:30']);
    });

    it('refuses an item without identifier', async () => {
      const result = await checkEnvironment('organizational_units:\n  - note: a unit\n');
      expect(where(result.diagnostics)).toEqual(['identifier-missing@2:5']);
      expect(result.diagnostics[0]?.message).toContain("Missing organizational unit 'identifier'");
    });

    it('refuses an unquoted account id and shows the digits to quote', async () => {
      const result = await checkEnvironment('accounts:\n  - identifier: 012345670123\n');
      expect(where(result.diagnostics)).toEqual(['identifier-not-a-string@2:17']);
      expect(result.diagnostics[0]?.hint).toBe("quote the identifier: '012345670123'");
      expect(result.diagnostics[0]?.message).toContain("'int' object has no attribute 'isdigit'");
    });

    it('pads the digits of an unquoted id that lost its leading zero', async () => {
      const result = await checkEnvironment('accounts:\n  - identifier: 12345678901\n');
      expect(result.diagnostics[0]?.hint).toBe("quote the identifier: '012345678901'");
    });

    it.each(["'12345678901'", "'1234567890123'", "'12345678901a'", "''"])('refuses the account identifier %s', async (id) => {
      const result = await checkEnvironment(`accounts:\n  - identifier: ${id}\n`);
      expect(where(result.diagnostics)).toEqual(['account-identifier-invalid@2:17']);
      expect(result.diagnostics[0]?.message).toContain('is not valid for an AWS account');
    });

    it('only warns about non-ASCII digits, which SPA accepts', async () => {
      const result = await checkEnvironment("accounts:\n  - identifier: '１２３４５６７８９０１２'\n");
      expect(where(result.diagnostics)).toEqual(['account-identifier-unusual-digits@2:17']);
    });

    it('refuses an organizational unit id without ou-', async () => {
      const result = await checkEnvironment("organizational_units:\n  - identifier: 'r-abcd'\n");
      expect(where(result.diagnostics)).toEqual(['ou-identifier-invalid@2:17']);
    });

    it('only warns about an ou- id that does not look like an AWS one', async () => {
      const result = await checkEnvironment("organizational_units:\n  - identifier: 'ou-1234'\n");
      expect(where(result.diagnostics)).toEqual(['ou-identifier-unusual@2:17']);
      expect(result.effective?.organizational_units['ou-1234']).toBeDefined();
    });

    it('refuses an unknown key in an item, and an item key of the wrong type', async () => {
      const result = await checkEnvironment(`${ONE_ACCOUNT}    owner: alice\n    note: 12\n    unset_tags: x\n`);
      expect(where(result.diagnostics)).toEqual(['unknown-item-attribute@3:5', 'invalid-item-type@4:11', 'invalid-item-type@5:17']);
    });

    it('refuses an unknown key of defaults once an item exists, at the defaults key, naming the item', async () => {
      const text = `defaults:\n  owner: nobody\n${ONE_ACCOUNT}  - identifier: '210987654321'\n`;
      const result = await checkEnvironment(text);
      expect(where(result.diagnostics)).toEqual(['unknown-item-attribute@2:3']);
      expect(result.diagnostics[0]?.message).toContain('account 123456789012');
    });

    it('accepts an unknown key of defaults while there is no item', async () => {
      const result = await checkEnvironment('defaults:\n  owner: nobody\n');
      expect(result.diagnostics).toEqual([]);
    });

    it('refuses a key of preparation or purge other than feature and variables, even empty', async () => {
      const result = await checkEnvironment(`${ONE_ACCOUNT}    purge:\n      dry_run:\n`);
      expect(where(result.diagnostics)).toEqual(['unexpected-worker-parameter@4:7']);
      expect(result.diagnostics[0]?.message).toContain("Unexpected purge parameter 'dry_run' for 123456789012");
    });

    it('warns that extra keys of defaults.preparation are never used', async () => {
      const result = await checkEnvironment(`defaults:\n  preparation: {budget: 5}\n${ONE_ACCOUNT}`);
      expect(where(result.diagnostics)).toEqual(['ignored-key@2:17']);
    });

    it('refuses two items with the same identifier, at the second', async () => {
      const result = await checkEnvironment(`${ONE_ACCOUNT}  - identifier: '123456789012'\n`);
      expect(where(result.diagnostics)).toEqual(['duplicate-identifier@3:17']);
      expect(result.diagnostics[0]?.message).toContain('first at line 2');
    });

    it('shares aliased values between items as Python does', async () => {
      const text = "automation:\n  tags: &t {team: a}\naccounts:\n  - {identifier: '111111111111', account_tags: *t}\n";
      const result = await checkEnvironment(text);
      expect(result.diagnostics).toEqual([]);
      expect(result.effective?.accounts['111111111111']?.account_tags).toBe(result.effective?.attributes.automation_tags);
    });
  });

  describe('values SPA does not check', () => {
    it.each([
      ["automation:\n  maintenance_window_expression: 'cron(0 18 * * SAT *)'\n", 'malformed-schedule@2:34'],
      ["automation:\n  maintenance_window_expression: 'rate(1 days)'\n", 'malformed-schedule@2:34'],
      ["automation:\n  role_arn_to_manage_accounts: 'SpaRole'\n", 'malformed-arn@2:32'],
      ["features:\n  with_response_plan_arn: 'arn:aws:iam::123456789012:role/x'\n", 'malformed-arn@2:27'],
      ['automation:\n  verbosity: info\n', 'unknown-verbosity@2:14'],
      ['features:\n  with_cost_email_recipients: [alice.example.com]\n', 'malformed-email@2:32'],
      ['features:\n  with_email_subscriptions_on_alerts: [ops@example]\n', 'malformed-email@2:40'],
      ['features:\n  with_origin_email_recipient: spa\n', 'malformed-email@2:32'],
      ['features:\n  with_cost_extra_currencies: [EUR, eur, XYZ]\n', 'unknown-currency@2:37'],
      ['features:\n  with_microsoft_webhook_on_alerts: http://example.com/hook\n', 'malformed-webhook-url@2:37'],
      ['reporting:\n  costs_markdown_template: templates/costs.md\n', 'markdown-template-looks-like-path@2:28'],
    ])('warns about %j', async (text, expected) => {
      const result = await checkEnvironment(text);
      expect(where(result.diagnostics)).toContain(expected);
      expect(errors(result)).toEqual([]);
      expect(result.effective).toBeDefined();
    });

    it('accepts well-formed values without warnings', async () => {
      const text = [
        'automation:',
        "  maintenance_window_expression: 'cron(0 18 ? * SAT *)'",
        "  role_arn_to_manage_accounts: 'arn:aws:iam::222222222222:role/SpaAccountsManagementRole'",
        '  verbosity: ERROR',
        'features:',
        '  with_cost_email_recipients: [alice@example.com]',
        '  with_cost_extra_currencies: [EUR, GBP]',
        "  with_origin_email_recipient: '\"no reply\" <spa@example.com>'",
        '  with_microsoft_webhook_on_alerts: https://acme.webhook.office.com/webhookb2/892ca8xf-9423',
        "  with_response_plan_arn: 'arn:aws:ssm-incidents::123456789012:response-plan/SpaPlan'",
        "  rate: ''",
        '',
      ].join('\n');
      const result = await checkEnvironment(text.replace("  rate: ''\n", ''));
      expect(result.diagnostics).toEqual([]);
    });

    it('warns about a feature other than enabled or disabled, once for a value copied from defaults', async () => {
      const result = await checkEnvironment(`defaults:\n  purge: {feature: on}\n${ONE_ACCOUNT}  - identifier: '210987654321'\n    preparation: {feature: yes please}\n`);
      expect(where(result.diagnostics)).toEqual(['unusual-feature-value@2:20', 'unusual-feature-value@6:28']);
    });

    it('refuses a date in an account, which SPA cannot store as JSON when it deploys', async () => {
      const result = await checkEnvironment(`${ONE_ACCOUNT}    preparation: {variables: {START: 2024-01-31}}\n`);
      expect(where(result.diagnostics)).toEqual(['not-json-serializable@3:38']);
      expect(result.diagnostics[0]?.hint).toBe("quote it: '2024-01-31'");
    });
  });

  describe('referenced files', () => {
    it('lists buildspec templates and documents, and warns about those outside the environment', async () => {
      const text = [
        'worker:',
        '  preparation_buildspec_template_file: buildspec/prepare.yaml',
        '  purge_buildspec_template_file: fixtures/buildspec/purge_account_with_awsweeper_template.yaml',
        'features:',
        '  with_end_user_documents:',
        '    terms: documents/terms.md',
        '    guide: documents/guide.md',
        '',
      ].join('\n');
      const result = await checkEnvironment(text, { 'buildspec/prepare.yaml': 'version: 0.2', 'documents/terms.md': '# Terms' });
      expect(where(result.diagnostics)).toEqual(['template-missing@3:34', 'document-missing@7:12']);
      expect(result.diagnostics[0]?.message).toContain("SPA's own files");
      expect(result.referencedFiles).toEqual([
        { path: 'env/buildspec/prepare.yaml', kind: 'preparation-buildspec', line: 2, column: 40, exists: true },
        { path: 'env/fixtures/buildspec/purge_account_with_awsweeper_template.yaml', kind: 'purge-buildspec', line: 3, column: 34, exists: false },
        { path: 'env/documents/terms.md', kind: 'document', line: 6, column: 12, exists: true },
        { path: 'env/documents/guide.md', kind: 'document', line: 7, column: 12, exists: false },
      ]);
      expect(result.effective).toBeDefined();
    });

    it.each([
      ['/etc/buildspec.yaml', 'absolute'],
      ['../other/buildspec.yaml', "contains '..'"],
      ['buildspec\\\\prepare.yaml', 'backslash'],
    ])('refuses the template path %j', async (path, fragment) => {
      const result = await checkEnvironment(`worker:\n  preparation_buildspec_template_file: "${path}"\n`);
      expect(where(result.diagnostics)).toEqual(['referenced-path-invalid@2:40']);
      expect(result.diagnostics[0]?.message).toContain(fragment);
    });

    it('refuses a template reached through a symbolic link', async () => {
      const result = await checkEnvironment('worker:\n  purge_buildspec_template_file: link/purge.yaml\n', { link: { kind: 'symlink' } });
      expect(where(result.diagnostics)).toEqual(['symlink-not-followed@2:34']);
    });

    it('only warns about a document path that is not a string', async () => {
      const result = await checkEnvironment('features:\n  with_end_user_documents:\n    terms: 12\n');
      expect(where(result.diagnostics)).toEqual(['document-path-not-a-string@3:12']);
    });

    it('never reads files other than the settings and its CSV lists', async () => {
      const source = new MemorySource({ 'env/settings.yaml': 'worker:\n  purge_buildspec_template_file: b.yaml\n', 'env/b.yaml': 'x' });
      await checkSettings({ source, settingsFile: 'env/settings.yaml', environmentFolder: 'env' });
      expect(source.reads).toEqual(['env/settings.yaml']);
    });
  });

  it('gives warnings but still the effective settings when SPA accepts the file', async () => {
    const result = await checkEnvironment(`${ONE_ACCOUNT}    preparation: {feature: maybe}\n`);
    expect(warnings(result).map((d) => d.code)).toEqual(['unusual-feature-value']);
    expect(result.effective?.accounts['123456789012']?.preparation.feature).toBe('maybe');
  });
});
