import { createHmac, timingSafeEqual } from 'node:crypto'
import { Webhook } from 'standardwebhooks'
import { WH_ERR_SIGNATURE_INVALID, WH_ERR_TIMESTAMP } from './errors.js'

/** Standard Webhooks' tolerance: a timestamp more than 5 minutes off is refused. */
export const SIGNATURE_TOLERANCE_MS = 5 * 60_000

export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>

function header(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()]
  return Array.isArray(value) ? value[0] : (value as string | undefined)
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** A verified inbound request: its `webhook-id` (the de-duplication key) and timestamp. */
export interface VerifiedWebhook {
  readonly id: string
  readonly timestamp: number
}

/**
 * Verify a Standard Webhooks request against any of `secrets` (two at once during a rotation).
 * The signature is checked first, with the `standardwebhooks` package's signing: none matching is
 * `WH_ERR_SIGNATURE_INVALID` (401). Only a signed request has its timestamp checked: more than
 * five minutes from `now` is `WH_ERR_TIMESTAMP` (400), so a stranger learns nothing about clocks.
 */
export function verifyStandardWebhook(rawBody: Uint8Array, headers: HeaderBag, secrets: readonly string[], now: number): VerifiedWebhook {
  const id = header(headers, 'webhook-id')
  const stamp = header(headers, 'webhook-timestamp')
  const signature = header(headers, 'webhook-signature')
  if (!signature) throw new WH_ERR_SIGNATURE_INVALID('the webhook-signature header is missing')
  if (!id) throw new WH_ERR_SIGNATURE_INVALID('the webhook-id header is missing')
  if (!stamp || !/^\d{1,13}$/.test(stamp)) throw new WH_ERR_TIMESTAMP('webhook-timestamp must be Unix seconds')
  const timestamp = Number(stamp) * 1000
  const presented = signature.split(' ').filter((s) => s.startsWith('v1,'))
  const matched = secrets.some((secret) => {
    const expected = new Webhook(secret).sign(id, new Date(timestamp), rawBody)
    return presented.some((p) => safeEqual(p, expected))
  })
  if (!matched) throw new WH_ERR_SIGNATURE_INVALID('no signature matches')
  if (Math.abs(now - timestamp) > SIGNATURE_TOLERANCE_MS) {
    throw new WH_ERR_TIMESTAMP(now > timestamp ? 'the message is too old (over 5 minutes)' : 'the message is from the future (over 5 minutes)')
  }
  return { id, timestamp }
}

/** Headers that sign an outbound POST the Standard Webhooks way. */
export function signStandardWebhook(secret: string, id: string, body: string, now: number): Record<string, string> {
  const timestamp = new Date(Math.floor(now / 1000) * 1000)
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, timestamp, body),
  }
}

/** The seed-style signature: `X-OpenClaw-Signature: sha256=<hex HMAC-SHA256 of the body>`, keyed by the secret's UTF-8 bytes. */
export function signSha256(secret: string, body: string): Record<string, string> {
  return { 'x-openclaw-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` }
}

/** True when `secret` can key Standard Webhooks signatures (base64, optionally `whsec_`-prefixed, not empty). */
export function isStandardSecret(secret: string): boolean {
  const body = secret.startsWith('whsec_') ? secret.slice(6) : secret
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 !== 0) return false
  try {
    new Webhook(secret)
    return true
  } catch {
    return false
  }
}
