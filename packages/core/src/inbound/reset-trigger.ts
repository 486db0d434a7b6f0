/** A reset trigger found at the start of a channel message, and the text after it. */
export interface ResetTrigger {
  /** The trigger as configured (`/new`, `/reset`). */
  readonly trigger: string
  /** What follows the trigger, trimmed: the turn to run in the fresh session (empty: none). */
  readonly rest: string
}

/**
 * Does `text` start with one of `triggers` as a whole word (`session.resetTriggers`)? Leading
 * whitespace is ignored and the command is matched case-insensitively (`/NEW` is `/new`); `/newer` is
 * not `/new`. A command addressed to a name (Telegram's `/new@BotName`) counts only when the name is
 * this account's `handle` (case-insensitive): `/new@otherbot` is for another bot, and without a
 * handle no addressed command is ours. Cheap for what is not a trigger: one character test first.
 */
export function parseResetTrigger(text: string, triggers: readonly string[], handle?: string): ResetTrigger | undefined {
  const start = text.search(/\S/)
  if (start < 0 || triggers.length === 0) return undefined
  // The command word: up to the first whitespace.
  const end = text.slice(start).search(/\s/)
  const word = end < 0 ? text.slice(start) : text.slice(start, start + end)
  const at = word.indexOf('@')
  const command = (at < 0 ? word : word.slice(0, at)).toLowerCase()
  const trigger = triggers.find((t) => t.toLowerCase() === command)
  if (trigger === undefined) return undefined
  if (at >= 0) {
    const addressee = word.slice(at + 1).toLowerCase()
    if (!handle || addressee !== handle.replace(/^@/, '').toLowerCase()) return undefined
  }
  return { trigger, rest: end < 0 ? '' : text.slice(start + end).trim() }
}
