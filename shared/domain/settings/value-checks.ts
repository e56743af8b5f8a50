/**
 * Warnings about values SPA accepts without checking but that are very likely mistakes (an e-mail without @, a
 * verbosity Python's logging does not know, ...), and the one check SPA's deployment makes after loading: every
 * account and unit is stored as JSON (`json.dumps`) in SSM Parameter Store, which fails on dates and binary data.
 */
import type { Position } from './diagnostics';
import { firstVisit, isPyEntry, keyAt, newWalk, PyDict, PyList, pyRepr, pyStr, pyTypeName, valueAt, type PyEntry, type PyScalar, type PyValue } from './python-values';
import { LOGGING_LEVELS } from './spa-attributes';
import type { AttributeValue, Reporter, Toggles } from './spa-replay';
import { YamlBinary, YamlTimestamp } from './settings-value';

const EMAIL = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:.]{2,}$/;
const NAMED_EMAIL = /^(?:"[^"]*"|[^<>"]*?)\s*<([^<>]+)>$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[\w+=,.@/-]+$/;
const RESPONSE_PLAN_ARN = /^arn:aws[a-z-]*:ssm-incidents::[0-9]{12}:response-plan\/[\w.-]+$/;
const RATE = /^rate\((?:1 (?:minute|hour|day)|(?:[2-9]|[1-9][0-9]+) (?:minutes|hours|days))\)$/;
const CRON = /^cron\(([^()]*)\)$/;
const CRON_FIELD = /^[0-9A-Za-z*?,/#L W-]+$/;

let currencies: Set<string> | undefined;
function isoCurrencies(): Set<string> {
  if (currencies === undefined) {
    try {
      currencies = new Set(Intl.supportedValuesOf('currency'));
    } catch {
      currencies = new Set();
    }
  }
  return currencies;
}

function isEmail(value: string, allowName: boolean): boolean {
  if (EMAIL.test(value)) return true;
  if (!allowName) return false;
  const named = NAMED_EMAIL.exec(value);
  return named?.[1] !== undefined && EMAIL.test(named[1].trim());
}

/** Why an EventBridge schedule expression is wrong, or undefined when it looks right. */
export function scheduleProblem(expression: string): string | undefined {
  if (expression.startsWith('rate(')) {
    return RATE.test(expression) ? undefined : 'a rate expression is rate(<n> <unit>), with minute, hour or day for 1 and minutes, hours or days above';
  }
  const cron = CRON.exec(expression);
  if (!cron) return 'EventBridge expects cron(...) or rate(...)';
  const fields = (cron[1] ?? '').trim().split(/\s+/);
  if (fields.length !== 6) return `a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), this one has ${fields.length}`;
  if (!fields.every((f) => CRON_FIELD.test(f))) return 'a cron field holds a character EventBridge does not accept';
  if (fields[2] !== '?' && fields[4] !== '?') return "EventBridge needs '?' in either the day-of-month or the day-of-week field";
  return undefined;
}

function stringItems(attribute: AttributeValue): { value: PyValue; at: Position }[] {
  const value = attribute.value;
  if (value instanceof PyList) return value.items.map((item, i) => ({ value: item, at: value.itemsAt[i] ?? attribute.valueAt }));
  return [];
}

/** Warnings about the values of top-level attributes. */
export function checkAttributeValues(toggles: Toggles, reporter: Reporter): void {
  const attr = (name: string): AttributeValue | undefined => toggles.attributes.get(name);
  const text = (name: string): { value: string; at: Position; writtenAs: string } | undefined => {
    const a = attr(name);
    return a && typeof a.value === 'string' && a.value !== '' ? { value: a.value, at: a.valueAt, writtenAs: a.writtenAs } : undefined;
  };

  const schedule = text('automation_maintenance_window_expression');
  if (schedule) {
    const problem = scheduleProblem(schedule.value);
    if (problem) {
      reporter.report(
        'malformed-schedule',
        schedule.at,
        `${schedule.writtenAs} ${pyRepr(schedule.value)} does not look like an EventBridge schedule (${problem}); SPA passes it on unchecked and the deployment of the maintenance window would fail`,
        "for example 'cron(0 18 ? * SAT *)' or 'rate(7 days)'",
      );
    }
  }
  for (const [name, pattern, example] of [
    ['automation_role_arn_to_manage_accounts', ROLE_ARN, 'arn:aws:iam::222222222222:role/SpaAccountsManagementRole'],
    ['features_with_response_plan_arn', RESPONSE_PLAN_ARN, 'arn:aws:ssm-incidents::123456789012:response-plan/SpaResponsePlan'],
  ] as const) {
    const value = text(name);
    if (value && !pattern.test(value.value)) {
      reporter.report('malformed-arn', value.at, `${value.writtenAs} ${pyRepr(value.value)} does not look like the ARN SPA expects here`, `for example '${example}'`);
    }
  }
  const verbosity = text('automation_verbosity');
  if (verbosity && !LOGGING_LEVELS.includes(verbosity.value)) {
    const upper = verbosity.value.toUpperCase();
    reporter.report(
      'unknown-verbosity',
      verbosity.at,
      `${verbosity.writtenAs} ${pyRepr(verbosity.value)} is not a Python logging level; SPA's Lambda functions look it up with logging.__dict__[VERBOSITY] and would fail at start`,
      LOGGING_LEVELS.includes(upper) ? `write it in capitals: ${upper}` : 'use DEBUG, INFO, WARNING, ERROR or CRITICAL',
    );
  }
  for (const name of ['features_with_cost_email_recipients', 'features_with_email_subscriptions_on_alerts']) {
    const a = attr(name);
    if (!a) continue;
    for (const item of stringItems(a)) {
      if (typeof item.value !== 'string' || !isEmail(item.value, false)) {
        reporter.report(
          'malformed-email',
          item.at,
          `${a.writtenAs} lists ${typeof item.value === 'string' ? pyRepr(item.value) : `${pyTypeName(item.value)} ${pyStr(item.value)}`}, which is not an e-mail address`,
          'write one address per item, for example alice@example.com',
        );
      }
    }
  }
  const origin = text('features_with_origin_email_recipient');
  if (origin && !isEmail(origin.value, true)) {
    reporter.report('malformed-email', origin.at, `${origin.writtenAs} ${pyRepr(origin.value)} is not an e-mail address`, "for example 'spa@example.com' or '\"no reply\" <spa@example.com>'");
  }
  const extra = attr('features_with_cost_extra_currencies');
  if (extra) {
    const known = isoCurrencies();
    for (const item of stringItems(extra)) {
      const ok = typeof item.value === 'string' && /^[A-Z]{3}$/.test(item.value) && (known.size === 0 || known.has(item.value));
      if (!ok) {
        reporter.report(
          'unknown-currency',
          item.at,
          `${extra.writtenAs} lists ${typeof item.value === 'string' ? pyRepr(item.value) : pyStr(item.value)}, which is not an ISO 4217 currency code`,
          typeof item.value === 'string' && known.has(item.value.toUpperCase()) ? `write it in capitals: ${item.value.toUpperCase()}` : 'use three capital letters, for example EUR or GBP',
        );
      }
    }
  }
  const webhook = text('features_with_microsoft_webhook_on_alerts');
  if (webhook) {
    let ok: boolean;
    try {
      ok = new URL(webhook.value).protocol === 'https:';
    } catch {
      ok = false;
    }
    if (!ok) reporter.report('malformed-webhook-url', webhook.at, `${webhook.writtenAs} ${pyRepr(webhook.value)} is not an https URL`, 'paste the URL of the incoming webhook configured in Microsoft Teams');
  }
  const template = text('reporting_costs_markdown_template');
  if (template && /^[^\s]+\.(?:md|markdown|txt)$/i.test(template.value.trim())) {
    reporter.report(
      'markdown-template-looks-like-path',
      template.at,
      `${template.writtenAs} looks like a file name, but SPA uses this value as the markdown text of the cost report e-mail itself: recipients would receive ${pyRepr(template.value)}`,
      'write the markdown text here (a block scalar with |), or remove the key to use SPA\'s default text',
    );
  }
}

/**
 * Whose settings a message is about: `defaults`, `account 123456789012`, ... Made only for a diagnostic (not for each
 * of 20,000 accounts checked).
 */
function ownerName(prefix: string, key: PyScalar | undefined): string {
  return key === undefined ? prefix : `${prefix} ${pyStr(key)}`;
}

function featureWarning(entry: PyEntry | undefined, section: string, ownerPrefix: string, ownerKey: PyScalar | undefined, reporter: Reporter): void {
  if (entry === undefined || entry.value === 'enabled' || entry.value === 'disabled') return;
  const owner = ownerName(ownerPrefix, ownerKey);
  reporter.reportOnce(
    'unusual-feature-value',
    valueAt(entry),
    `${section}.feature of ${owner} is ${typeof entry.value === 'string' ? pyRepr(entry.value) : `${pyTypeName(entry.value)} ${pyStr(entry.value)}`}; SPA runs the ${section} only when it is 'enabled'`,
    "write 'enabled' or 'disabled'",
  );
}

/** Warnings on preparation/purge features of defaults, units and accounts. */
export function checkFeatures(toggles: Toggles, reporter: Reporter): void {
  const visit = (item: PyValue, ownerPrefix: string, ownerKey?: PyScalar): void => {
    if (!(item instanceof PyDict)) return;
    for (const section of ['preparation', 'purge']) {
      const worker = item.get(section);
      if (worker instanceof PyDict) featureWarning(worker.getEntry('feature'), section, ownerPrefix, ownerKey, reporter);
    }
  };
  visit(toggles.defaults, 'defaults');
  for (const entry of toggles.organizational_units.entries) visit(entry.value, 'organizational unit', entry.key);
  for (const entry of toggles.accounts.entries) visit(entry.value, 'account', entry.key);
  if (toggles.defaults instanceof PyDict) {
    for (const section of ['preparation', 'purge']) {
      const worker = toggles.defaults.get(section);
      if (!(worker instanceof PyDict)) continue;
      for (const entry of worker.entries) {
        if (entry.key === 'feature' || entry.key === 'variables') continue;
        reporter.reportOnce(
          'ignored-key',
          keyAt(entry),
          `defaults.${section}.${pyStr(entry.key)} is never used: SPA copies only feature and variables from defaults.${section}`,
          `move it under defaults.${section}.variables if it is a variable for the buildspec`,
        );
      }
    }
  }
}

/** SPA's deployment stores each account and unit with `json.dumps`: a date or binary value breaks it. */
export function checkJsonSerializable(toggles: Toggles, reporter: Reporter): void {
  const walk = newWalk();
  // `where`: the value's position, or the entry holding it (a Position is made only for a diagnostic)
  const visit = (value: PyValue, where: Position | PyEntry, ownerPrefix: string, ownerKey: PyScalar): void => {
    if (typeof value !== 'object' || value === null) return;
    if (value instanceof YamlTimestamp || value instanceof YamlBinary) {
      reporter.reportOnce(
        'not-json-serializable',
        isPyEntry(where) ? valueAt(where) : where,
        `YAML reads this value as ${value instanceof YamlBinary ? 'binary data' : `a ${value.hasTime ? 'datetime' : 'date'} (${pyStr(value)})`}; SPA stores the settings of ${ownerName(ownerPrefix, ownerKey)} as JSON when it deploys, and json.dumps cannot serialize it`,
        value instanceof YamlBinary ? 'remove the !!binary tag' : `quote it: '${value.text}'`,
      );
      return;
    }
    if (value instanceof PyList) {
      if (!firstVisit(value, walk)) return;
      const at = isPyEntry(where) ? valueAt(where) : where;
      value.items.forEach((item, i) => visit(item, value.itemsAt[i] ?? at, ownerPrefix, ownerKey));
      return;
    }
    if (value instanceof PyDict) {
      if (!firstVisit(value, walk)) return;
      for (const entry of value.entries) {
        if (entry.key instanceof YamlTimestamp || entry.key instanceof YamlBinary) {
          reporter.reportOnce(
            'not-json-serializable',
            keyAt(entry),
            `YAML reads this key as ${entry.key instanceof YamlBinary ? 'binary data' : `a ${entry.key.hasTime ? 'datetime' : 'date'}`}; SPA stores the settings of ${ownerName(ownerPrefix, ownerKey)} as JSON when it deploys, and json.dumps cannot use it as a key`,
            `quote the key: '${pyStr(entry.key)}'`,
          );
        }
        visit(entry.value, entry, ownerPrefix, ownerKey);
      }
    }
  };
  for (const entry of toggles.accounts.entries) visit(entry.value, entry, 'account', entry.key);
  for (const entry of toggles.organizational_units.entries) visit(entry.value, entry, 'organizational unit', entry.key);
}
