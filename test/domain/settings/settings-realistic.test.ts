import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSettings } from '../../../shared/domain/settings/settings-loader';
import { MemorySource } from '../../support/memory-source';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/settings/realistic');

/** The fixture folder as the environment `environments/sandbox` of a settings repository. */
function environment(): MemorySource {
  const source = new MemorySource();
  const walk = (folder: string, relative: string): void => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path, `${relative}${name}/`);
      else source.put(`environments/sandbox/${relative}${name}`, readFileSync(path));
    }
  };
  walk(FIXTURE, '');
  return source;
}

describe('Function: checkSettings, on a realistic environment', () => {
  it('accepts the settings with one warning about a buildspec template from SPA\'s code base', async () => {
    const result = await checkSettings({ source: environment(), settingsFile: 'environments/sandbox/settings.yaml', environmentFolder: 'environments/sandbox' });
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ file: 'environments/sandbox/settings.yaml', line: 26, column: 34, severity: 'warning', code: 'template-missing' }),
    ]);
    expect(result.referencedFiles).toEqual([
      { path: 'environments/sandbox/finance.csv', kind: 'csv', line: 79, column: 7, exists: true },
      { path: 'environments/sandbox/security.csv', kind: 'csv', line: 80, column: 7, exists: true },
      { path: 'environments/sandbox/buildspec/prepare.yaml', kind: 'preparation-buildspec', line: 25, column: 40, exists: true },
      { path: 'environments/sandbox/fixtures/buildspec/purge_account_with_awsweeper_template.yaml', kind: 'purge-buildspec', line: 26, column: 34, exists: false },
    ]);
  });

  it('computes the effective settings SPA computes: YAML accounts first, then CSV-only accounts, completed from defaults', async () => {
    const result = await checkSettings({ source: environment(), settingsFile: 'environments/sandbox/settings.yaml', environmentFolder: 'environments/sandbox' });
    expect(result.effective).toEqual(EXPECTED);
    expect(Object.keys(result.effective?.accounts ?? {})).toEqual(['012345678901', '210987654321', '456789012345', '789012345678']);
  });

  it('keeps YAML numbers as numbers and CSV values as strings', async () => {
    const result = await checkSettings({ source: environment(), settingsFile: 'environments/sandbox/settings.yaml', environmentFolder: 'environments/sandbox' });
    const alice = result.effective?.accounts['012345678901'];
    expect(alice?.preparation.variables).toEqual({ BUDGET_AMOUNT: '2000', ALERT_THRESHOLD: 80, BUDGET_NAME: 'SandboxBudget' });
    expect(typeof result.effective?.attributes.metering_activities_ttl_in_seconds).toBe('number');
  });
});

const EXPECTED = {
      accounts: {
        '012345678901': {
          identifier: '012345678901',
          note: 'a sandbox for Alice',
          account_tags: {
            'account-holder': 'alice@example.com',
            'managed-by': 'SPA',
            'cost-center': 'Research',
            'ServiceNow Domain': 'CloudOps',
          },
          preparation: {
            feature: 'enabled',
            variables: {
              BUDGET_AMOUNT: '2000',
              ALERT_THRESHOLD: 80,
              BUDGET_NAME: 'SandboxBudget',
            },
          },
          purge: {
            feature: 'disabled',
            variables: {
              MAXIMUM_AGE: '3M',
              PURGE_MODE: '--dry-run',
            },
          },
          unset_tags: ['CostCenter', 'account:holder'],
        },
        '210987654321': {
          identifier: '210987654321',
          note: 'a sandbox for Bob',
          purge: {
            feature: 'enabled',
            variables: {
              MAXIMUM_AGE: '3M',
              PURGE_MODE: '--dry-run',
            },
          },
          account_tags: {
            'managed-by': 'SPA',
          },
          preparation: {
            feature: 'disabled',
            variables: {
              ALERT_THRESHOLD: 80,
              BUDGET_AMOUNT: 500,
              BUDGET_NAME: 'SandboxBudget',
            },
          },
          unset_tags: ['CostCenter', 'account:holder'],
        },
        '456789012345': {
          account_tags: {
            'managed-by': 'SPA',
            'cost-center': 'Customer Service',
            'ServiceNow Domain': 'Customer, Service',
          },
          preparation: {
            feature: 'disabled',
            variables: {
              ALERT_THRESHOLD: 80,
              BUDGET_AMOUNT: '3000',
              BUDGET_NAME: 'SandboxBudget',
            },
          },
          purge: {
            feature: 'disabled',
            variables: {
              MAXIMUM_AGE: '6M',
              PURGE_MODE: '--dry-run',
            },
          },
          unset_tags: ['CostCenter', 'account:holder'],
          identifier: '456789012345',
          note: 'A new sandbox',
        },
        '789012345678': {
          account_tags: {
            'managed-by': 'SPA',
            'ServiceNow Domain': 'FinanceResponders',
          },
          preparation: {
            feature: 'disabled',
            variables: {
              ALERT_THRESHOLD: 80,
              BUDGET_AMOUNT: 500,
              BUDGET_NAME: 'SandboxBudget',
            },
          },
          purge: {
            feature: 'disabled',
            variables: {
              MAXIMUM_AGE: '9M',
              PURGE_MODE: '--dry-run',
            },
          },
          unset_tags: ['CostCenter', 'account:holder'],
          identifier: '789012345678',
        },
      },
      organizational_units: {
        'ou-ab12-34cd56ef': {
          identifier: 'ou-ab12-34cd56ef',
          note: 'data team sandboxes',
          account_tags: {
            'cost-center': 'DATA',
            'managed-by': 'SPA',
          },
          preparation: {
            feature: 'enabled',
            variables: {
              BUDGET_NAME: 'DataTeamBudget',
              ALERT_THRESHOLD: 80,
              BUDGET_AMOUNT: 500,
            },
          },
          purge: {
            feature: 'enabled',
            variables: {
              MAXIMUM_AGE: '9M',
              PURGE_MODE: '--dry-run',
            },
          },
          unset_tags: ['CostCenter', 'account:holder'],
        },
      },
      attributes: {
        defaults: {
          account_tags: {
            'managed-by': 'SPA',
          },
          preparation: {
            feature: 'disabled',
            variables: {
              ALERT_THRESHOLD: 80,
              BUDGET_AMOUNT: 500,
              BUDGET_NAME: 'SandboxBudget',
            },
          },
          purge: {
            feature: 'disabled',
            variables: {
              MAXIMUM_AGE: '9M',
              PURGE_MODE: '--dry-run',
            },
          },
          unset_tags: ['CostCenter', 'account:holder'],
        },
        features_with_csv_files: ['finance.csv', 'security.csv'],
        features_with_end_user_documents: null,
        environment_identifier: 'SpaSandbox',
        automation_account_id: '123456789012',
        automation_region: 'eu-west-3',
        automation_cockpit_markdown_text: '# Sandbox accounts\nManaged by Sustainable Personal Accounts.\n',
        automation_maintenance_window_expression: 'cron(0 18 ? * SAT *)',
        automation_role_arn_to_manage_accounts: 'arn:aws:iam::222222222222:role/SpaAccountsManagementRole',
        automation_role_name_to_manage_codebuild: 'AWSControlTowerExecution',
        automation_tags: {
          'cost-center': 'cloud-platform',
          owner: 'platform@example.com',
        },
        automation_verbosity: 'INFO',
        metering_activities_datastore: 'SpaActivitiesTable',
        metering_activities_ttl_in_seconds: 31622400,
        metering_shadows_ttl_in_seconds: 15811200,
        metering_transactions_ttl_in_seconds: 900,
        worker_preparation_buildspec_template_file: 'buildspec/prepare.yaml',
        worker_purge_buildspec_template_file: 'fixtures/buildspec/purge_account_with_awsweeper_template.yaml',
        features_with_arm_architecture: true,
        features_with_cost_email_recipients: ['finops@example.com'],
        features_with_cost_extra_currencies: ['EUR', 'GBP'],
        features_with_cost_management_tag: 'cost-center',
        features_with_email_subscriptions_on_alerts: ['cloud-ops@example.com'],
        features_with_microsoft_webhook_on_alerts: 'https://example.webhook.office.com/webhookb2/abc-123',
        features_with_origin_email_recipient: '"no reply" <spa@example.com>',
        features_with_tag_prefix: 'account-',
        reporting_costs_markdown_template: '# Cost reports for {month}\nPlease find attached the cost reports.\n',
      },
    };
