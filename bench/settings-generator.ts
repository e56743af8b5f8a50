/** Generated SPA settings for the benchmarks. */
/** A settings file in SPA's shape: each account with identifier, note, 3 account tags, preparation feature and variables. */
export function generateSettings(accounts: number, units: number): string {
  const out: string[] = [
    'environment_identifier: SpaBench\n',
    "automation:\n  account_id: '123456789012'\n  region: eu-west-1\n  verbosity: INFO\n",
    'defaults:\n  account_tags:\n    managed-by: SPA\n  preparation:\n    feature: disabled\n    variables:\n      BUDGET_AMOUNT: 500\n  purge:\n    feature: disabled\n    variables:\n      MAXIMUM_AGE: 9M\n',
    'organizational_units:\n',
  ];
  for (let i = 0; i < units; i += 1) {
    out.push(
      `  - identifier: 'ou-ab12-${String(i).padStart(8, '0')}'\n    note: 'organizational unit ${i}'\n    account_tags:\n      cost-center: 'CC-${i}'\n      owner: team${i}@example.com\n      project: project-${i}\n    preparation:\n      feature: enabled\n      variables:\n        BUDGET_AMOUNT: ${i * 10}\n        BUDGET_NAME: Budget${i}\n`,
    );
  }
  out.push('accounts:\n');
  for (let i = 0; i < accounts; i += 1) {
    out.push(
      `  - identifier: '${100000000000 + i}'\n    note: 'sandbox of developer ${i}'\n    account_tags:\n      cost-center: 'CC-${i % 97}'\n      account-holder: person${i}@example.com\n      project: project-${i % 31}\n    preparation:\n      feature: enabled\n      variables:\n        BUDGET_AMOUNT: ${100 + (i % 900)}\n        BUDGET_NAME: Budget${i}\n`,
    );
  }
  return out.join('');
}
