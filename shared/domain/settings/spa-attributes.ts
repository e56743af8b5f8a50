/**
 * SPA's own tables (reply-fr/sustainable-personal-accounts, cdk/configuration.py `Configuration.ALLOWED_*`), and the
 * Python type checks of `validate_attribute`.
 */
import { PyDict, PyList, pyIsInt, type PyValue } from './python-values';

export type SpaKind = 'bool' | 'dict' | 'int' | 'list' | 'str';

/** `Configuration.ALLOWED_ATTRIBUTES`: every flattened top-level name SPA accepts, with its type. */
export const ALLOWED_ATTRIBUTES: Readonly<Record<string, SpaKind>> = {
  accounts: 'list',
  automation_account_id: 'str',
  automation_cockpit_markdown_text: 'str',
  automation_maintenance_window_expression: 'str',
  automation_region: 'str',
  automation_role_arn_to_manage_accounts: 'str',
  automation_role_name_to_manage_codebuild: 'str',
  automation_tags: 'dict',
  automation_verbosity: 'str',
  defaults: 'dict',
  environment_identifier: 'str',
  features_with_arm_architecture: 'bool',
  features_with_cost_email_recipients: 'list',
  features_with_cost_extra_currencies: 'list',
  features_with_cost_management_tag: 'str',
  features_with_csv_files: 'list',
  features_with_email_subscriptions_on_alerts: 'list',
  features_with_end_user_documents: 'dict',
  features_with_microsoft_webhook_on_alerts: 'str',
  features_with_origin_email_recipient: 'str',
  features_with_response_plan_arn: 'str',
  features_with_tag_prefix: 'str',
  metering_activities_datastore: 'str',
  metering_activities_ttl_in_seconds: 'int',
  metering_shadows_datastore: 'str',
  metering_shadows_ttl_in_seconds: 'int',
  metering_transactions_datastore: 'str',
  metering_transactions_ttl_in_seconds: 'int',
  organizational_units: 'list',
  reporting_activities_prefix: 'str',
  reporting_costs_prefix: 'str',
  reporting_costs_markdown_template: 'str',
  reporting_exceptions_prefix: 'str',
  reporting_inventories_prefix: 'str',
  worker_preparation_buildspec_template_file: 'str',
  worker_purge_buildspec_template_file: 'str',
};

/** `Configuration.ALLOWED_ACCOUNT_ATTRIBUTES`: the keys of an account or organizational unit after completion. */
export const ALLOWED_ITEM_ATTRIBUTES: Readonly<Record<string, SpaKind>> = {
  account_tags: 'dict',
  identifier: 'str',
  note: 'str',
  preparation: 'dict',
  purge: 'dict',
  unset_tags: 'list',
};

/** The only keys `validate_preparation_attributes` / `validate_purge_attributes` accept. */
export const WORKER_KEYS: readonly string[] = ['feature', 'variables'];

/** Python logging level names (SPA's Lambda functions do `logging.__dict__[VERBOSITY]`). */
export const LOGGING_LEVELS: readonly string[] = ['CRITICAL', 'FATAL', 'ERROR', 'WARNING', 'WARN', 'INFO', 'DEBUG', 'NOTSET'];

export function lookupKind(table: Readonly<Record<string, SpaKind>>, name: string): SpaKind | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

/** The `isinstance` check of `validate_attribute` for one kind. */
export function hasKind(value: PyValue, kind: SpaKind): boolean {
  switch (kind) {
    case 'bool':
      return typeof value === 'boolean';
    case 'dict':
      return value instanceof PyDict;
    case 'int':
      return pyIsInt(value);
    case 'list':
      return value instanceof PyList;
    case 'str':
      return typeof value === 'string';
  }
}

export function kindLabel(kind: SpaKind): string {
  switch (kind) {
    case 'bool':
      return 'a boolean (true or false)';
    case 'dict':
      return 'a mapping';
    case 'int':
      return 'an integer';
    case 'list':
      return 'a list';
    case 'str':
      return 'a string';
  }
}
