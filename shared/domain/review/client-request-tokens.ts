/**
 * Deterministic client request tokens for the comments the controller posts.
 *
 * CodeCommit returns the comment of the first request when a request comes again with the same token and the same
 * parameters, so a Lambda retry or a duplicate event never posts twice. The SDK would generate a random token when
 * none is given, which protects nothing across invocations: every token here is derived from what identifies the
 * comment. CodeCommit documents no maximum length: tokens stay within 64 characters of `[a-z0-9-]`.
 */
import { createHash } from 'node:crypto';

export const MAX_CLIENT_REQUEST_TOKEN_LENGTH = 64;

export type CommentKind = 'summary' | 'inline' | 'deployment';

/** `spa-cd-<kind>-<40 hex of sha256(kind and parts)>`; the parts are encoded unambiguously (JSON). */
export function clientRequestToken(kind: CommentKind, parts: readonly (string | number)[]): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([kind, ...parts.map(String)]))
    .digest('hex');
  return `spa-cd-${kind}-${digest.slice(0, 40)}`;
}

/** The summary comment of one pull request; `generation` counts the summaries posted before (a deleted one is replaced). */
export function summaryToken(input: {
  readonly repository: string;
  readonly pullRequestId: string;
  readonly generation: number;
  readonly sourceCommit: string;
  readonly destinationCommit: string;
}): string {
  return clientRequestToken('summary', [input.repository, input.pullRequestId, input.generation, input.sourceCommit, input.destinationCommit]);
}

/** One inline comment: pull request, reviewed commit, file, line and diagnostic code. */
export function inlineToken(input: {
  readonly repository: string;
  readonly pullRequestId: string;
  readonly commit: string;
  readonly file: string;
  readonly line: number;
  readonly code: string;
}): string {
  return clientRequestToken('inline', [input.repository, input.pullRequestId, input.commit, input.file, input.line, input.code]);
}

/** The result of one deployment in one status, on the pull request that brought it. */
export function deploymentResultToken(input: {
  readonly repository: string;
  readonly pullRequestId: string;
  readonly deploymentId: string;
  readonly status: string;
}): string {
  return clientRequestToken('deployment', [input.repository, input.pullRequestId, input.deploymentId, input.status]);
}

/** A short stable digest (16 hex) of some parts: keys of records (inline comments posted, error fingerprints). */
export function shortDigest(parts: readonly (string | number)[]): string {
  return createHash('sha256')
    .update(JSON.stringify(parts.map(String)))
    .digest('hex')
    .slice(0, 16);
}
