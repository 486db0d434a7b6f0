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
 * not `/new`. A command still addressed to a name (`/new@otherbot`) is for someone else: a channel
 * whose users address commands to the bot (Telegram's `/new@BotName`) removes its own name from the
 * text before the event is accepted. Cheap for what is not a trigger: no allocation past the first word.
 */
export function parseResetTrigger(text: string, triggers: readonly string[]): ResetTrigger | undefined {
  if (triggers.length === 0) return undefined
  const start = text.search(/\S/)
  if (start < 0) return undefined
  // The command word: up to the first whitespace.
  const end = text.slice(start).search(/\s/)
  const word = (end < 0 ? text.slice(start) : text.slice(start, start + end)).toLowerCase()
  const trigger = triggers.find((t) => t.toLowerCase() === word)
  if (trigger === undefined) return undefined
  return { trigger, rest: end < 0 ? '' : text.slice(start + end).trim() }
}
