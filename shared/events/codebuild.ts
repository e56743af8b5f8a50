/**
 * CodeBuild Build State Change on EventBridge (aws-facts.md (a)). `additional-information` is optional throughout:
 * IN_PROGRESS events carry far less than terminal ones, numbers may be floats, and FAULT / TIMED_OUT are tolerated
 * although AWS documents only IN_PROGRESS, SUCCEEDED, FAILED and STOPPED.
 */
import { z } from 'zod';
import { BUILD_STATUSES } from '../domain/deployment/deployment-state';
import { eventEnvelope } from './envelope';
import { BUILD_ARN, BUILD_ID, freeText, projectNameSchema, tokenText } from './primitives';

export { BUILD_STATUSES } from '../domain/deployment/deployment-state';

/** Phase statuses that end a build unsuccessfully (StatusType minus SUCCEEDED / IN_PROGRESS, plus CLIENT_ERROR). */
export const FAILED_PHASE_STATUSES: ReadonlySet<string> = new Set(['FAILED', 'FAULT', 'TIMED_OUT', 'STOPPED', 'CLIENT_ERROR']);

/**
 * `arn:aws:codebuild:<region>:<account>:build/<project>:<uuid>` → `<project>:<uuid>` (the API's build id).
 * Undefined when the ARN does not have that shape.
 */
export function buildIdFromArn(arn: string): string | undefined {
  const match = BUILD_ARN.exec(arn);
  return match ? `${match[3]}:${match[4]}` : undefined;
}

/** Region, account and project of a build ARN. */
export function parseBuildArn(arn: string): { region: string; account: string; project: string; buildId: string } | undefined {
  const match = BUILD_ARN.exec(arn);
  if (!match || match[1] === undefined || match[2] === undefined || match[3] === undefined) return undefined;
  return { region: match[1], account: match[2], project: match[3], buildId: `${match[3]}:${match[4]}` };
}

/** A build id (`project:uuid`) or a build ARN, normalised to `project:uuid`; undefined when it is neither. */
export function normalizeBuildId(idOrArn: string): string | undefined {
  if (BUILD_ID.test(idOrArn)) return idOrArn;
  return buildIdFromArn(idOrArn);
}

const count = z.number().finite().nonnegative();

/** CloudWatch Logs console link: https on an AWS console host only (it ends up as a link in pull request comments). */
const consoleLink = z
  .string()
  .max(4096)
  .refine((value) => {
    if (!URL.canParse(value)) return false;
    const url = new URL(value);
    return (
      url.protocol === 'https:' &&
      url.username === '' &&
      url.password === '' &&
      /^([a-z0-9-]+\.)*console\.(aws\.amazon\.com|amazonaws\.cn|amazonaws-us-gov\.com)$/.test(url.hostname)
    );
  }, 'expected an https link to the AWS console');

const phaseSchema = z.object({
  'phase-type': tokenText(64),
  'phase-status': tokenText(64).optional(),
  'start-time': tokenText(64).optional(),
  'end-time': tokenText(64).optional(),
  'duration-in-seconds': count.optional(),
  /** Strings such as `COMMAND_EXECUTION_ERROR: Error while executing command: ... Reason: exit status 1`. */
  'phase-context': z.array(freeText(10_000)).max(100).optional(),
});

const environmentVariableSchema = z.object({
  name: tokenText(256),
  type: tokenText(32),
  value: freeText(10_000),
});

export const additionalInformationSchema = z.object({
  'build-complete': z.boolean().optional(),
  /** Absent in observed IN_PROGRESS events. */
  'build-number': count.optional(),
  /** `rule/<rule>`, `<Role>/<Session>`, `codepipeline/<pipeline>`, a user name. */
  initiator: tokenText(512).optional(),
  /** `Sep 1, 2017 4:12:29 PM` style, no zone: kept as text. */
  'build-start-time': tokenText(64).optional(),
  'timeout-in-minutes': count.optional(),
  'queued-timeout-in-minutes': count.optional(),
  cache: z.object({ type: tokenText(64).optional() }).optional(),
  source: z
    .object({
      type: tokenText(64).optional(),
      location: tokenText(2048).optional(),
      buildspec: freeText(100_000).optional(),
      'git-clone-depth': count.optional(),
      'report-build-status': z.boolean().optional(),
    })
    .optional(),
  'source-version': tokenText(1024).optional(),
  artifact: z
    .object({ location: tokenText(2048).optional(), md5sum: tokenText(128).optional(), sha256sum: tokenText(128).optional() })
    .optional(),
  environment: z
    .object({
      image: tokenText(512).optional(),
      type: tokenText(64).optional(),
      'compute-type': tokenText(64).optional(),
      'privileged-mode': z.boolean().optional(),
      'image-pull-credentials-type': tokenText(64).optional(),
      'environment-variables': z.array(environmentVariableSchema).max(500).optional(),
    })
    .optional(),
  logs: z
    .object({ 'group-name': tokenText(512).optional(), 'stream-name': tokenText(512).optional(), 'deep-link': consoleLink.optional() })
    .optional(),
  /** Terminal events only; the final COMPLETED entry has only `start-time` and `phase-type`. */
  phases: z.array(phaseSchema).max(100).optional(),
});

export const buildStateChangeDetailSchema = z
  .object({
    'build-status': z.enum(BUILD_STATUSES),
    'project-name': projectNameSchema,
    'build-id': z.string().regex(BUILD_ARN, 'expected a CodeBuild build ARN'),
    'current-phase': tokenText(64).optional(),
    /** A string, e.g. `"[]"` or `"[: ]"`. */
    'current-phase-context': freeText(10_000).optional(),
    version: tokenText(16).optional(),
    'additional-information': additionalInformationSchema.optional(),
  })
  .refine((detail) => parseBuildArn(detail['build-id'])?.project === detail['project-name'], {
    message: 'the project of build-id is not project-name',
    path: ['build-id'],
  })
  .transform((detail) => ({
    ...detail,
    /** `project:uuid`, the key used everywhere (never the ARN). */
    buildId: buildIdFromArn(detail['build-id']) ?? detail['build-id'],
  }));

export const buildStateChangeSchema = eventEnvelope('CodeBuild Build State Change', 'aws.codebuild', buildStateChangeDetailSchema);
export type BuildStateChangeEvent = z.infer<typeof buildStateChangeSchema>;
export type BuildStateChangeDetail = z.infer<typeof buildStateChangeDetailSchema>;

/** A value of the build's environment variables, as echoed in the event (PLAINTEXT values only are meaningful). */
export function buildEventVariable(detail: BuildStateChangeDetail, name: string): string | undefined {
  const variables = detail['additional-information']?.environment?.['environment-variables'] ?? [];
  return variables.find((variable) => variable.name === name)?.value;
}

/** The first phase that did not succeed, with its context strings, as in BatchGetBuilds mapping. */
export function failedPhaseOfEvent(detail: BuildStateChangeDetail): { phase: string; message?: string } | undefined {
  const phases = detail['additional-information']?.phases ?? [];
  const failed = phases.find((phase) => phase['phase-status'] !== undefined && FAILED_PHASE_STATUSES.has(phase['phase-status']));
  if (!failed) return undefined;
  const contexts = (failed['phase-context'] ?? []).map((context) => context.trim()).filter((context) => context !== '' && context !== ':');
  return contexts.length > 0 ? { phase: failed['phase-type'], message: contexts.join('; ') } : { phase: failed['phase-type'] };
}
