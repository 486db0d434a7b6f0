import { z } from 'zod'

const Id = z.string().min(1).max(512)
const Chat = z.object({
  id: Id,
  kind: z.enum(['direct', 'group', 'channel', 'topic']),
  topicId: Id.optional(),
  title: z.string().max(512).optional(),
})
const Sender = z.object({ id: Id, name: z.string().max(512).optional(), username: z.string().max(512).optional(), isBot: z.boolean().optional() })
const Media = z.object({
  ref: z.string().min(1).max(16_384),
  kind: z.enum(['image', 'audio', 'video', 'file']),
  mimeType: z.string().max(256).optional(),
  name: z.string().max(512).optional(),
  size: z.number().int().nonnegative().optional(),
})
const Base = {
  id: Id,
  channel: z.string().min(1).max(128),
  accountId: z.string().min(1).max(256).optional(),
  chat: Chat,
  sender: Sender,
  receivedAt: z.number().optional(),
  agentId: z.string().min(1).max(64).optional(),
  raw: z.unknown().optional(),
}

/** What `accept()` checks of an event before it writes anything. */
export const ChannelEventSchema = z.discriminatedUnion('kind', [
  z.object({
    ...Base,
    kind: z.literal('message'),
    messageId: Id.optional(),
    text: z.string().max(1_000_000),
    attachments: z.array(Media).max(32).optional(),
    replyToId: Id.optional(),
    threadId: Id.optional(),
    mentioned: z.boolean().optional(),
    groupId: Id.optional(),
  }),
  z.object({
    ...Base,
    kind: z.literal('edited'),
    messageId: Id,
    text: z.string().max(1_000_000),
    attachments: z.array(Media).max(32).optional(),
    threadId: Id.optional(),
    mentioned: z.boolean().optional(),
  }),
  z.object({ ...Base, kind: z.literal('button'), data: z.string().max(4096), callbackId: Id, messageId: Id.optional(), threadId: Id.optional() }),
])
