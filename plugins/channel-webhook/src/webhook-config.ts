import { ChannelAccessShape } from '@openclaw/plugin-sdk/channels'
import { z } from 'zod'
import { isStandardSecret } from './verify-signature.js'

const AccountSchema = z
  .object({
    /** Verifies inbound POSTs and signs replies. Standard Webhooks: base64, optionally `whsec_`-prefixed. */
    secret: z.string().min(1),
    /** More secrets accepted inbound, for a rotation (replies are signed with `secret`). */
    secrets: z.array(z.string().min(1)).max(4).optional(),
    /** Where replies are POSTed. */
    url: z.url({ protocol: /^https?$/ }),
    /** How replies are signed: Standard Webhooks headers (default), or `X-OpenClaw-Signature: sha256=<hex>`. */
    signature: z.enum(['standard', 'sha256']).default('standard'),
    /** Longest text of one reply POST; longer replies are split. */
    textLimit: z.number().int().min(64).max(1_000_000).default(4000),
    /** Replies per second to this receiver (a token bucket), and the burst. */
    rateLimit: z.object({ perSecond: z.number().positive(), burst: z.number().int().positive().optional() }).optional(),
    /** How long a reply POST may take. */
    timeoutMs: z.number().int().positive().max(120_000).default(15_000),
    ...ChannelAccessShape,
  })
  .superRefine((account, ctx) => {
    for (const [i, secret] of [account.secret, ...(account.secrets ?? [])].entries()) {
      if (!isStandardSecret(secret)) {
        ctx.addIssue({ code: 'custom', path: i === 0 ? ['secret'] : ['secrets', i - 1], message: 'expected a Standard Webhooks secret: base64 bytes, optionally prefixed whsec_' })
      }
    }
  })

/** `channels.webhook`: accounts by id. */
export const WebhookConfigSchema = z.object({
  accounts: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected an account id of letters, digits, "-" or "_"'), AccountSchema).default({}),
  /** Largest inbound body (inline attachments count). */
  maxBodyBytes: z.number().int().positive().default(10 * 1024 * 1024),
})

export type WebhookConfig = z.output<typeof WebhookConfigSchema>
export type WebhookConfigInput = z.input<typeof WebhookConfigSchema>
export type WebhookAccount = WebhookConfig['accounts'][string]
