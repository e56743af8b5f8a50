/** Valid SPA settings and a pin shared by the deployment and review tests. */
export const SPA_COMMIT = 'a'.repeat(40);

export const VALID_SETTINGS = `environment_identifier: SpaTest
automation:
  account_id: '123456789012'
  region: eu-west-1
defaults:
  account_tags:
    CostCenter: shared
  preparation:
    feature: enabled
    variables:
      BUDGET_AMOUNT: 500
  purge:
    feature: disabled
    variables: {}
organizational_units:
  - identifier: ou-abcd-11111111
    note: sandboxes
accounts:
  - identifier: '210987654321'
    note: a sandbox
`;

export const MANIFEST = `spa_version: '${SPA_COMMIT}'\n`;
