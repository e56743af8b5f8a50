/**
 * Strict schemas for the identifiers found in AWS events and API answers.
 *
 * Every id that later reaches an AWS call, a DynamoDB key, a log line or a pull request comment is checked here first,
 * with a message that never echoes the offending value (the value may be hostile).
 */
import { z } from 'zod';

/** A full git commit id as CodeCommit reports it: 40 lowercase hexadecimal characters. */
export const COMMIT_ID = /^[0-9a-f]{40}$/;
export const ACCOUNT_ID = /^\d{12}$/;
/** `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`, `ap-southeast-4`... */
export const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const PARTITION = 'aws(?:-[a-z]+)*';
const REGION_SRC = '[a-z]{2}(?:-[a-z]+)+-\\d{1,2}';
/** CodeCommit repository name (CodeCommit quota: `[\w.-]`, 1-100 characters). */
export const REPOSITORY_NAME = /^[\w.-]{1,100}$/;
/** CodeBuild project name (API model pattern). */
export const PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{1,254}$/;
/** The part of a CodeBuild build id after `project:` (a UUID in practice; kept to a safe alphabet). */
const BUILD_SUFFIX_SRC = '[A-Za-z0-9][A-Za-z0-9-]{0,63}';
export const BUILD_ID = new RegExp(`^(${PROJECT_NAME.source.slice(1, -1)}):(${BUILD_SUFFIX_SRC})$`);
export const BUILD_ARN = new RegExp(
  `^arn:${PARTITION}:codebuild:(${REGION_SRC}):(\\d{12}):build/(${PROJECT_NAME.source.slice(1, -1)}):(${BUILD_SUFFIX_SRC})$`,
);
export const REPOSITORY_ARN = new RegExp(`^arn:${PARTITION}:codecommit:(${REGION_SRC}):(\\d{12}):([\\w.-]{1,100})$`);
/** An IAM or STS principal: user, role, assumed-role session, federated user, root. */
export const PRINCIPAL_ARN = new RegExp(`^arn:${PARTITION}:(?:iam|sts)::(\\d{12}):[\\w+=,.@/-]{1,1024}$`);
export const IAM_ROLE_ARN = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}):role/[\\w+=,.@/-]{1,512}$`);
/** An STS AssumeRole ExternalId: 2 to 1,224 characters of `[\w+=,.@:/-]`. */
export const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
/** Opaque ids (event id, repository id, revision id, comment id): a safe alphabet, bounded. */
export const OPAQUE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
export const PULL_REQUEST_ID = /^\d{1,20}$/;

/** Characters that must never appear in a name we echo: controls, format (bidi, zero-width), separators, surrogates. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Z}]/u;

/**
 * A short git reference name (`main`, `feature/x`, `v1.2.3`) following `git check-ref-format` and CodeCommit's limits:
 * 1-256 characters, no control, format or space characters, none of `~^:?*[\`, no `..`, `@{` or `//`,
 * no leading `-` or `/`, no trailing `/` or `.`, no component starting with `.` or ending with `.lock`.
 */
export function isValidRefName(name: string): boolean {
  if (name.length < 1 || name.length > 256 || name === '@') return false;
  if (INVISIBLE.test(name) || /[~^:?*[\\]/.test(name)) return false;
  if (name.includes('..') || name.includes('@{') || name.includes('//')) return false;
  if (name.startsWith('-') || name.startsWith('/') || name.endsWith('/') || name.endsWith('.')) return false;
  return name.split('/').every((part) => !part.startsWith('.') && !part.endsWith('.lock'));
}

export const commitIdSchema = z.string().regex(COMMIT_ID, 'expected a full 40-character lowercase hexadecimal commit id');
export const accountIdSchema = z.string().regex(ACCOUNT_ID, 'expected a 12-digit AWS account id');
export const regionSchema = z.string().regex(REGION, 'expected an AWS region name such as eu-west-1');
export const repositoryNameSchema = z
  .string()
  .regex(REPOSITORY_NAME, 'expected a CodeCommit repository name (letters, digits, ".", "_", "-"; at most 100)');
export const projectNameSchema = z
  .string()
  .regex(PROJECT_NAME, 'expected a CodeBuild project name (letters, digits, "_", "-"; 2 to 255)');
export const principalArnSchema = z.string().regex(PRINCIPAL_ARN, 'expected an IAM or STS principal ARN');
export const opaqueIdSchema = z.string().regex(OPAQUE_ID, 'expected an id made of letters, digits, ".", "_", ":" or "-"');
export const pullRequestIdSchema = z.string().regex(PULL_REQUEST_ID, 'expected a numeric pull request id as a string');
export const refNameSchema = z.string().refine(isValidRefName, 'not a valid git reference name');
export const fullRefNameSchema = z
  .string()
  .refine(
    (value) => (value.startsWith('refs/heads/') || value.startsWith('refs/tags/')) && isValidRefName(value.replace(/^refs\/(heads|tags)\//, '')),
    'expected refs/heads/<branch> or refs/tags/<tag> with a valid git reference name',
  );

/** Free text from a person (titles, descriptions): any characters, bounded; escaping is the renderer's job. */
export const freeText = (max: number) => z.string().max(max, `longer than ${max} characters`);
/** A machine token from AWS (phase names, statuses, image names): printable, bounded. */
export const tokenText = (max = 256) =>
  z
    .string()
    .max(max, `longer than ${max} characters`)
    .refine((value) => !/[\p{Cc}\p{Cf}]/u.test(value), 'contains control characters');
