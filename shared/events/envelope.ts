/**
 * The EventBridge envelope shared by every event we accept (aws-facts.md (a)).
 * Unknown keys are dropped, not rejected: AWS adds fields over time.
 */
import { z } from 'zod';
import { accountIdSchema, opaqueIdSchema, regionSchema, tokenText } from './primitives';

export function eventEnvelope<const T extends string, const S extends string, D extends z.ZodType>(detailType: T, source: S, detail: D) {
  return z.object({
    version: tokenText(16),
    id: opaqueIdSchema,
    'detail-type': z.literal(detailType),
    source: z.literal(source),
    account: accountIdSchema,
    time: z.iso.datetime({ offset: true, message: 'expected an ISO-8601 time' }),
    region: regionSchema,
    resources: z.array(tokenText(2048)).max(100),
    detail,
  });
}
