/**
 * Credentials for the DevOps trigger role (aws-facts.md (e)), usable as `credentials:` of any SDK v3 client.
 *
 * - AssumeRole with the ExternalId and a stable session name (`spa-cd-controller`): the builds' `initiator` and
 *   CloudTrail show who started them, and UpdateComment authorship stays stable.
 * - DurationSeconds 3600: a Lambda already runs as a role, so this is role chaining, capped at one hour.
 * - Cached, refreshed 5 minutes before expiry; concurrent callers share one in-flight AssumeRole; a failed refresh
 *   falls back to the cached credentials while they are still valid.
 */
import { EXTERNAL_ID } from '../events/primitives';
import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { IAM_ROLE_ARN } from '../events/primitives';

export const CONTROLLER_SESSION_NAME = 'spa-cd-controller';
export const ROLE_SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
/** Role chaining cap. */
export const MAX_CHAINED_SESSION_SECONDS = 3600;
export const REFRESH_BEFORE_EXPIRY_MS = 5 * 60 * 1000;

export interface AssumeRoleCredentialsOptions {
  readonly client: STSClient;
  readonly roleArn: string;
  readonly externalId: string;
  /** Default `spa-cd-controller`. */
  readonly sessionName?: string;
  /** 900-3600, default 3600. */
  readonly durationSeconds?: number;
  /** Injectable clock for tests. */
  readonly now?: () => number;
}

export interface CachingCredentialProvider extends AwsCredentialIdentityProvider {
  /** AssumeRole calls made so far. */
  readonly assumeRoleCalls: () => number;
}

/** Checks the options once, then returns a provider that assumes the role on first use. Throws `TypeError` on bad options. */
export function assumeRoleCredentials(options: AssumeRoleCredentialsOptions): CachingCredentialProvider {
  const sessionName = options.sessionName ?? CONTROLLER_SESSION_NAME;
  const durationSeconds = options.durationSeconds ?? MAX_CHAINED_SESSION_SECONDS;
  if (!IAM_ROLE_ARN.test(options.roleArn)) throw new TypeError('roleArn is not an IAM role ARN');
  if (!EXTERNAL_ID.test(options.externalId)) throw new TypeError('externalId must be 2-1224 characters of [\\w+=,.@:/-]');
  if (!ROLE_SESSION_NAME.test(sessionName)) throw new TypeError('sessionName must be 2-64 characters of [\\w+=,.@-]');
  if (!Number.isInteger(durationSeconds) || durationSeconds < 900 || durationSeconds > MAX_CHAINED_SESSION_SECONDS) {
    throw new TypeError(`durationSeconds must be a whole number from 900 to ${MAX_CHAINED_SESSION_SECONDS} (role chaining)`);
  }
  const now = options.now ?? Date.now;
  let cached: AwsCredentialIdentity | undefined;
  let inFlight: Promise<AwsCredentialIdentity> | undefined;
  let calls = 0;

  const fresh = (credentials: AwsCredentialIdentity | undefined): credentials is AwsCredentialIdentity =>
    credentials !== undefined && (credentials.expiration === undefined || credentials.expiration.getTime() - REFRESH_BEFORE_EXPIRY_MS > now());
  const stillValid = (credentials: AwsCredentialIdentity | undefined): credentials is AwsCredentialIdentity =>
    credentials !== undefined && (credentials.expiration === undefined || credentials.expiration.getTime() > now());

  async function assume(): Promise<AwsCredentialIdentity> {
    calls += 1;
    const output = await options.client.send(
      new AssumeRoleCommand({
        RoleArn: options.roleArn,
        RoleSessionName: sessionName,
        ExternalId: options.externalId,
        DurationSeconds: durationSeconds,
      }),
    );
    const credentials = output.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken || !credentials.Expiration) {
      throw new Error('AssumeRole answered without complete credentials');
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      expiration: credentials.Expiration,
    };
  }

  const provider = async (): Promise<AwsCredentialIdentity> => {
    if (fresh(cached)) return cached;
    if (!inFlight) {
      inFlight = assume()
        .then((credentials) => {
          cached = credentials;
          return credentials;
        })
        .finally(() => {
          inFlight = undefined;
        });
    }
    try {
      return await inFlight;
    } catch (error) {
      if (stillValid(cached)) return cached; // refresh failed early: keep using what still works
      throw error;
    }
  };
  return Object.assign(provider, { assumeRoleCalls: () => calls });
}

export interface CallerIdentity {
  readonly account: string;
  readonly arn: string;
  readonly userId: string;
}

/** Who is calling (for `spa-cd deploy`: the person who asked for the deployment). */
export async function callerIdentity(client: STSClient): Promise<CallerIdentity> {
  const output = await client.send(new GetCallerIdentityCommand({}));
  if (!output.Account || !output.Arn || !output.UserId) throw new Error('GetCallerIdentity answered without an identity');
  return { account: output.Account, arn: output.Arn, userId: output.UserId };
}
