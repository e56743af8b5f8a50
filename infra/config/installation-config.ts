/**
 * One installation of spa-cd: the accounts, the settings repository and the environments it deploys.
 * Read from one JSON file per installation (`infra/config/*.json`); a bad file fails synthesis with one
 * message naming the file and every field at fault.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_CODE_GIT_URL, DEFAULT_TRUNK } from '../../shared/config/controller-config';
import { ACCOUNT_ID, REGION, isValidRefName } from '../../shared/events/primitives';

/** The same rules as infra/buildspec.yml applies to the build's inputs: a value the build would refuse is refused here. */
export const PATTERNS = {
  installationName: /^[a-z][a-z0-9-]{0,19}$/,
  environmentName: /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/,
  environmentFolder: /^environments\/[A-Za-z0-9._-]+$/,
  repositoryName: /^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/,
  httpsGitUrl: /^https:\/\/[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?(\/[A-Za-z0-9._~+-]+)+\/?$/,
  externalId: /^[A-Za-z0-9][A-Za-z0-9+=,.@:/_-]{1,1223}$/,
  managedPolicyArn: /^arn:aws(-[a-z]+)*:iam::(aws|\d{12}):policy\/[A-Za-z0-9+=,.@_/-]{1,512}$/,
} as const;

const account = z.string().regex(ACCOUNT_ID, 'expected a 12-digit AWS account id as a string');

const deployPolicy = z.union(
  [
    z.literal('administrator'),
    z.strictObject({
      managedPolicyArns: z
        .array(z.string().regex(PATTERNS.managedPolicyArn, 'expected a managed policy ARN such as arn:aws:iam::aws:policy/PowerUserAccess'))
        .min(1, 'expected at least one managed policy ARN')
        .max(10, 'a role takes at most 10 managed policies'),
    }),
  ],
  { error: 'expected "administrator" or {"managedPolicyArns": ["arn:aws:iam::..."]}' },
);

const environment = z
  .strictObject({
    name: z.string().regex(PATTERNS.environmentName, 'expected 1-32 letters, digits, "_" or "-", starting with a letter or digit'),
    folder: z.string().optional(),
    buildTimeoutMinutes: z.int('expected a whole number of minutes').min(5, 'at least 5 minutes').max(480, 'at most 480 minutes (CodeBuild quota)').default(120),
    deployPolicy: deployPolicy.default('administrator'),
  })
  .superRefine((value, context) => {
    if (value.folder !== undefined && value.folder !== `environments/${value.name}`) {
      context.addIssue({ code: 'custom', path: ['folder'], message: `expected "environments/${value.name}": the controller knows an environment by its folder name` });
    }
  })
  .transform((value) => ({ ...value, folder: `environments/${value.name}` }));

const repository = z.union(
  [
    z.strictObject({
      create: z.literal(true),
      name: z.string().regex(PATTERNS.repositoryName, 'expected a CodeCommit repository name (1-100 letters, digits, ".", "_", "-")'),
    }),
    z.strictObject({
      import: z.string().regex(PATTERNS.repositoryName, 'expected a CodeCommit repository name (1-100 letters, digits, ".", "_", "-")'),
    }),
  ],
  { error: (issue) => (issue.input === undefined ? 'is required' : 'expected {"create": true, "name": "..."} or {"import": "..."}') },
);

export const installationConfigSchema = z.strictObject({
  /** Prefix of every physical name (roles, bus, table, projects): unique per account. */
  name: z.string().regex(PATTERNS.installationName, 'expected 1-20 lowercase letters, digits or "-", starting with a letter').default('spa-cd'),
  accounts: z.strictObject({ cloudOps: account, devOps: account, automation: account }),
  region: z.string().regex(REGION, 'expected an AWS region name such as eu-west-1'),
  repository,
  trunk: z
    .string()
    .refine((value) => isValidRefName(value) && !value.startsWith('refs/') && value.length <= 100, 'expected a branch name such as main (not refs/heads/main)')
    .default(DEFAULT_TRUNK),
  environments: z
    .array(environment)
    .min(1, 'expected at least one environment')
    .superRefine((values, context) => {
      const seen = new Set<string>();
      values.forEach((value, index) => {
        if (seen.has(value.name.toLowerCase())) context.addIssue({ code: 'custom', path: [index, 'name'], message: `duplicate environment "${value.name}"` });
        seen.add(value.name.toLowerCase());
      });
    }),
  spaCodeUrl: z
    .string()
    .regex(PATTERNS.httpsGitUrl, 'expected an https URL without credentials, query or fragment')
    .refine((value) => !value.includes('..'), 'must not contain ".."')
    .default(DEFAULT_CODE_GIT_URL),
  alertEmail: z.email('expected an email address').optional(),
  approvalGating: z.boolean('expected true or false').default(false),
  externalId: z.string().regex(PATTERNS.externalId, 'expected 2-1224 characters among letters, digits and + = , . @ : / _ -, starting with a letter or digit'),
});

export type InstallationConfig = z.output<typeof installationConfigSchema>;
export type EnvironmentSettings = InstallationConfig['environments'][number];

export class InstallationConfigError extends Error {
  override readonly name = 'InstallationConfigError';
  constructor(readonly source: string, readonly problems: readonly string[]) {
    super(`${source}: invalid spa-cd configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** `environments[0].deployPolicy` */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`)).join('') || '(the file)';
}

/** Checks a parsed JSON value; throws an InstallationConfigError naming every field at fault. */
export function parseInstallationConfig(value: unknown, source = 'configuration'): InstallationConfig {
  const result = installationConfigSchema.safeParse(value, {
    error: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined),
  });
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => `${fieldPath([...issue.path, key])}: unknown field (check its spelling)`)
      : [`${fieldPath(issue.path)}: ${issue.message}`],
  );
  throw new InstallationConfigError(source, problems);
}

/** Reads and checks a configuration file. */
export function loadInstallationConfig(path: string): InstallationConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InstallationConfigError(path, [`cannot be read: ${error instanceof Error ? error.message : String(error)}`]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InstallationConfigError(path, [`is not valid JSON: ${error instanceof Error ? error.message : String(error)}`]);
  }
  return parseInstallationConfig(value, path);
}

/** True when the three accounts are one (single-account installation). */
export function isSingleAccount(config: InstallationConfig): boolean {
  return config.accounts.cloudOps === config.accounts.devOps && config.accounts.devOps === config.accounts.automation;
}
