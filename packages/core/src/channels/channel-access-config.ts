import { z } from 'zod'

/** Who may message the bot in direct chats (OpenClaw's `dmPolicy`). */
export const DmPolicySchema = z.enum(['pairing', 'allowlist', 'open', 'disabled'])
/** Which groups (and senders in them) may trigger the bot (OpenClaw's `groupPolicy`). */
export const GroupPolicySchema = z.enum(['open', 'allowlist', 'disabled'])

const SenderList = z.array(z.union([z.string(), z.number()]).transform(String))

/** A forum topic's own settings inside a group (`groups.<id>.topics.<topicId>`, or `"*"` for every topic). */
const TopicEntrySchema = z.strictObject({
  enabled: z.boolean().optional(),
  requireMention: z.boolean().optional(),
  groupPolicy: GroupPolicySchema.optional(),
  allowFrom: SenderList.optional(),
  /** Route this topic to another agent (topic-only: never inherited from the group). */
  agentId: z.string().min(1).optional(),
})

const GroupEntrySchema = z.strictObject({
  enabled: z.boolean().optional(),
  /** A group message runs only when the bot is mentioned (default true). */
  requireMention: z.boolean().optional(),
  /** This group's own policy, over the channel's. */
  groupPolicy: GroupPolicySchema.optional(),
  /** Senders allowed in this group, over `groupAllowFrom`. */
  allowFrom: SenderList.optional(),
  /** Forum topics (chat kind `topic`): an exact topic id, else `"*"`, overrides the group's settings. */
  topics: z.record(z.string(), TopicEntrySchema).optional(),
})

/**
 * Access control a channel account applies before an event runs, as OpenClaw does it. A channel
 * plugin spreads `ChannelAccessShape` into its account schema.
 */
export const ChannelAccessShape = {
  /** `pairing` (default): an unknown sender gets a code that `openclaw pairing approve` admits. */
  dmPolicy: DmPolicySchema.default('pairing'),
  /** Senders admitted in direct chats; `"*"` admits anyone (`open` needs it). */
  allowFrom: SenderList.default([]),
  /** Default `allowlist`: only groups listed in `groups` (or `"*"`). */
  groupPolicy: GroupPolicySchema.default('allowlist'),
  /** Senders allowed in groups under `allowlist`; unset falls back to `allowFrom` (never to pairing approvals). */
  groupAllowFrom: SenderList.optional(),
  /** Group id (or `"*"`) → its settings; when present it is the list of allowed groups. */
  groups: z.record(z.string(), GroupEntrySchema).optional(),
} as const

export const ChannelAccessSchema = z.object(ChannelAccessShape)
export type ChannelAccessConfig = z.output<typeof ChannelAccessSchema>
export type ChannelAccessConfigInput = z.input<typeof ChannelAccessSchema>
