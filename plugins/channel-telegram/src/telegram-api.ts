import type { Agent } from 'node:http'
import { autoRetry } from '@grammyjs/auto-retry'
import { Api, GrammyError, HttpError } from 'grammy'
import { TG_ERR_API } from './errors.js'

/** What the channel knows of a Bot API failure, with no token and no URL in it. */
export interface ApiFailureDetails {
  readonly method: string
  /** Telegram's `error_code` (400, 403, 409, 429, …); absent for network failures. */
  readonly errorCode?: number
  readonly description?: string
  /** The network failure's code (`ECONNRESET`, `aborted`, …). */
  readonly network?: string
  readonly retryAfterMs?: number
}

/** Network failures before a request could reach Telegram: a send that failed so did not happen. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ERR_INVALID_URL'])

/** Recipient problems: the user blocked the bot, the bot was kicked, the chat or topic is gone. */
const RECIPIENT_400 = /chat not found|user not found|peer_id_invalid|group chat was (upgraded|deactivated)|have no rights|not enough rights|message thread not found|topic_closed|topic_deleted|chat_write_forbidden|user is deactivated/i

/**
 * A Bot API client for one token. Short 429s (`retry_after` ≤ 5 s, at most 3 times) are retried in
 * place by `@grammyjs/auto-retry`; longer ones, network errors and 5xx are thrown (the outbox
 * retries them durably, after `retry_after`). `getUpdates` is never retried here: the poller owns it.
 */
export function createBotApi(token: string, apiRoot: string, longestCallMs = 60_000, agent?: Agent): Api {
  // grammY's own deadline stays behind ours (the poller's stall deadline, the 30 s of a send).
  // A proxy's agent replaces grammY's keep-alive one (node-fetch takes `agent`).
  const api = new Api(token, { apiRoot, timeoutSeconds: Math.max(60, Math.ceil(longestCallMs / 1000) + 5), ...(agent ? { baseFetchConfig: { agent } } : {}) })
  const retry = autoRetry({ maxDelaySeconds: 5, maxRetryAttempts: 3, rethrowInternalServerErrors: true, rethrowHttpErrors: true })
  api.config.use((prev, method, payload, signal) => (method === 'getUpdates' ? prev(method, payload, signal) : retry(prev, method, payload, signal)))
  return api
}

/** The network error's code, never its message (node-fetch puts the URL, with the token, in it). */
function networkCode(err: HttpError): string {
  const inner = err.error as { code?: unknown; type?: unknown; name?: unknown } | undefined
  if (typeof inner?.code === 'string') return inner.code
  if (inner?.name === 'AbortError' || inner?.type === 'aborted') return 'aborted'
  if (typeof inner?.type === 'string') return inner.type
  return 'network error'
}

/**
 * A grammY failure as a `TG_ERR_API` the delivery worker understands: `retryAfterMs` for a 429,
 * `permanent` (and `recipient`: the account stays healthy) for 403 and the 400s that mean the chat
 * is unreachable, `permanent` for other 400s, retried otherwise; a network failure once connected is
 * `maybeDelivered` (the send is then in doubt). The message names the method and
 * Telegram's description; the token never appears.
 */
export function apiFailure(err: unknown, method: string): InstanceType<typeof TG_ERR_API> & { permanent: boolean; recipient: boolean; retryAfterMs?: number; maybeDelivered?: boolean } {
  if (err instanceof GrammyError) {
    const retryAfterMs = err.parameters?.retry_after !== undefined ? err.parameters.retry_after * 1000 : undefined
    const details: ApiFailureDetails = { method, errorCode: err.error_code, description: err.description, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) }
    const recipient = err.error_code === 403 || (err.error_code === 400 && RECIPIENT_400.test(err.description))
    const permanent = recipient || err.error_code === 400
    const error = new TG_ERR_API(method, `${err.error_code} ${err.description}`, { details: details as unknown as Record<string, unknown> })
    return Object.assign(error, { permanent, recipient, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) })
  }
  if (err instanceof HttpError) {
    const network = networkCode(err)
    const error = new TG_ERR_API(method, `network: ${network}`, { details: { method, network } })
    // Unless the connection never opened, Telegram may have taken the message before it broke.
    return Object.assign(error, { permanent: false, recipient: false, maybeDelivered: !NEVER_CONNECTED.has(network) })
  }
  if (err instanceof Error && 'code' in err && typeof err.code === 'string' && err.code.startsWith('TG_ERR_')) {
    return Object.assign(err as InstanceType<typeof TG_ERR_API>, { permanent: false, recipient: false })
  }
  const error = new TG_ERR_API(method, err instanceof Error ? err.name : 'unknown failure', { details: { method } })
  return Object.assign(error, { permanent: false, recipient: false })
}

/** Run a Bot API call and translate its failure (see {@link apiFailure}). */
export async function callApi<T>(method: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (err) {
    throw apiFailure(err, method)
  }
}

/** Is this "message is not modified" (an edit to the same text), which is not a failure? */
export function isNotModified(err: unknown): boolean {
  const details = (err as { details?: ApiFailureDetails }).details
  return details?.errorCode === 400 && /message is not modified/i.test(details.description ?? '')
}

/** Is this Telegram refusing our HTML ("can't parse entities")? The text is then sent plain. */
export function isEntityParseError(err: unknown): boolean {
  const details = (err as { details?: ApiFailureDetails }).details
  return details?.errorCode === 400 && /can't parse entities|unsupported start tag|can't find end tag/i.test(details.description ?? '')
}

/** grammY's Node build types its signals with the `abort-controller` shim; a native signal works at runtime. */
export type GrammySignal = Parameters<Api['getMe']>[0]
export function grammySignal(signal: AbortSignal): GrammySignal {
  return signal as unknown as GrammySignal
}
