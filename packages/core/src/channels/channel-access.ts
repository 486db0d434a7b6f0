import type { ChannelEvent } from '../types/channel-events.js'
import type { ChannelAccessConfig } from './channel-access-config.js'

/** What access control decided for an event. */
export type AccessDecision =
  | { readonly action: 'run' }
  /** An unknown direct sender under `dmPolicy: pairing`: issue (or repeat) a pairing code, do not run. */
  | { readonly action: 'pair' }
  /** Not run; `reason` says why (logged, and kept on the inbox row). */
  | { readonly action: 'drop'; readonly reason: string }

function normalise(id: string): string {
  return id.trim().toLowerCase()
}

function listed(list: readonly string[] | undefined, senderId: string): boolean {
  if (!list) return false
  const id = normalise(senderId)
  return list.some((entry) => entry === '*' || normalise(entry) === id)
}

/**
 * OpenClaw's access rules for one event.
 *
 * Direct chats (`dmPolicy`): `disabled` drops; `open` admits senders in `allowFrom` (`"*"` for
 * anyone; pairing approvals never widen it); `allowlist` admits `allowFrom` only; `pairing` admits
 * `allowFrom` and approved senders, and answers anyone else with a pairing code.
 *
 * Groups, in this order: `groupPolicy` (the group's own over the channel's) `disabled` drops; the
 * group must be listed in `groups` (its id or `"*"`, not `enabled: false`) unless there is no
 * `groups` map and the policy is `open`; under `allowlist` the sender must be in the group's
 * `allowFrom`, else `groupAllowFrom`, else `allowFrom` (DM pairing approvals do not count); then
 * `requireMention` (default true) drops what does not mention the bot. In a forum topic, the topic's
 * entry (`groups.<id>.topics.<topicId>`, else `topics."*"`) overrides the group's. Button presses on a message
 * the bot sent count as addressed to it.
 */
export function decideAccess(event: ChannelEvent, config: ChannelAccessConfig, approved: (senderId: string) => boolean): AccessDecision {
  const sender = event.sender.id
  if (event.chat.kind === 'direct') {
    switch (config.dmPolicy) {
      case 'disabled':
        return { action: 'drop', reason: 'direct messages are disabled (dmPolicy: disabled)' }
      case 'open':
      case 'allowlist':
        return listed(config.allowFrom, sender) ? { action: 'run' } : { action: 'drop', reason: `sender is not in allowFrom (dmPolicy: ${config.dmPolicy})` }
      case 'pairing':
        return listed(config.allowFrom, sender) || approved(sender) ? { action: 'run' } : { action: 'pair' }
    }
  }
  const groups = config.groups
  const group = groups?.[event.chat.id] ?? groups?.['*']
  // A forum topic's own entry (exact id, else "*") overrides its group's settings.
  const topic = event.chat.kind === 'topic' && group?.topics ? (group.topics[event.chat.topicId ?? ''] ?? group.topics['*']) : undefined
  const entry = group && topic ? { ...group, ...topic } : group
  const policy = entry?.groupPolicy ?? config.groupPolicy
  if (policy === 'disabled') return { action: 'drop', reason: 'group messages are disabled (groupPolicy: disabled)' }
  if (groups ? !entry || entry.enabled === false : policy !== 'open') {
    return { action: 'drop', reason: `group ${event.chat.id} is not allowed (not in groups)` }
  }
  if (policy === 'allowlist' && !listed(entry?.allowFrom ?? config.groupAllowFrom ?? config.allowFrom, sender)) {
    return { action: 'drop', reason: 'sender is not allowed in this group (groupAllowFrom)' }
  }
  const requireMention = entry?.requireMention ?? true
  const addressed = event.kind === 'button' || event.mentioned === true
  if (requireMention && !addressed) return { action: 'drop', reason: 'the bot was not mentioned (requireMention)' }
  return { action: 'run' }
}
