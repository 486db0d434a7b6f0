import type { streamModelCall } from '@openclaw/plugin-sdk'
import type * as errors from './errors.js'

/** What the SDK's `streamModelCall` hands the stream reader: the provider id and `errorDetails(retryable)`. */
export type ModelCallContext = Parameters<Parameters<typeof streamModelCall>[0]['readStream']>[1]

/**
 * What a provider error says about the upstream call, besides its code: `provider` (`anthropic`);
 * `upstreamStatus`, the HTTP status it answered with (`undefined` when it did not answer, or failed in
 * the stream); `retryAfterMs`, the wait it asked for (Retry-After); `retryable`, whether the same
 * request may succeed later.
 */
export type UpstreamErrorDetails = ReturnType<ModelCallContext['errorDetails']>

/** Every error the provider throws on purpose: a coded error (`ANTHROPIC_ERR_*`) plus {@link UpstreamErrorDetails}. */
export type UpstreamError = InstanceType<(typeof errors)[keyof typeof errors]> & UpstreamErrorDetails
