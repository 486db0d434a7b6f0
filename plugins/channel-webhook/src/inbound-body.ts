import { z } from 'zod'

const Attachment = z.union([
  z.object({ url: z.url({ protocol: /^https?$/ }), mimeType: z.string().min(1).max(256), name: z.string().max(512).optional(), size: z.number().int().nonnegative().optional() }),
  z.object({ data: z.base64(), mimeType: z.string().min(1).max(256), name: z.string().max(512).optional() }),
])

/** What a sender POSTs to `/channels/webhook/<account>` (docs/channels/webhook.md). */
export const InboundBodySchema = z.object({
  /** The sender's id for the message (default: the webhook-id). */
  id: z.string().min(1).max(256).optional(),
  from: z.object({ id: z.string().min(1).max(256), name: z.string().max(256).optional() }),
  /** Default: a direct chat with `from`. */
  chat: z.object({ id: z.string().min(1).max(256), type: z.enum(['direct', 'group']) }).optional(),
  text: z.string().max(100_000).optional(),
  attachments: z.array(Attachment).max(16).optional(),
  replyTo: z.string().min(1).max(256).optional(),
  /** In a group: the message addresses the bot. */
  mentioned: z.boolean().optional(),
  /** A press on a button of an earlier reply. */
  button: z.object({ data: z.string().max(4096), messageId: z.string().max(256).optional() }).optional(),
})
export type InboundBody = z.output<typeof InboundBodySchema>

export function mediaKindOf(mimeType: string): 'image' | 'audio' | 'video' | 'file' {
  const top = mimeType.split('/')[0]
  return top === 'image' || top === 'audio' || top === 'video' ? top : 'file'
}
