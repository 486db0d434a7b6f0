import { badRequest } from './bot-api-error.js'
import type { BotApiMethod, FakeTelegramState } from './fake-telegram-state.js'

/** One entry of a bot's command menu, as `setMyCommands` takes it. */
export interface BotCommandEntry {
  readonly command: string
  readonly description: string
}

const COMMAND = /^[a-z0-9_]{1,32}$/
const MAX_COMMANDS = 100
const MAX_DESCRIPTION = 256

/** The menu a call addresses: its `scope` and `language_code` (the default menu: no scope, no language). */
function menuKey(params: Readonly<Record<string, unknown>>): string {
  const scope = params.scope && typeof params.scope === 'object' ? JSON.stringify(params.scope) : '{"type":"default"}'
  return `${scope}|${typeof params.language_code === 'string' ? params.language_code : ''}`
}

/** `setMyCommands`: replaces the menu of a scope and language, after Telegram's checks. */
export const setMyCommands: BotApiMethod = ({ params }, state) => {
  const commands = params.commands
  if (!Array.isArray(commands)) throw badRequest('parameter "commands" is required')
  if (commands.length > MAX_COMMANDS) throw badRequest('BOT_COMMANDS_TOO_MUCH')
  const menu: BotCommandEntry[] = []
  for (const entry of commands as unknown[]) {
    const { command, description } = (entry ?? {}) as { command?: unknown; description?: unknown }
    if (typeof command !== 'string' || !COMMAND.test(command)) throw badRequest('BOT_COMMAND_INVALID')
    if (typeof description !== 'string' || description.trim() === '' || description.length > MAX_DESCRIPTION) throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID')
    menu.push({ command, description })
  }
  state.commands.set(menuKey(params), menu)
  return true
}

/** `deleteMyCommands`: the menu of a scope and language is empty again. */
export const deleteMyCommands: BotApiMethod = ({ params }, state) => {
  state.commands.delete(menuKey(params))
  return true
}

/** `getMyCommands`: the menu of a scope and language. */
export const getMyCommands: BotApiMethod = ({ params }, state) => state.commands.get(menuKey(params)) ?? []

/** The default menu (no scope, no language), for tests. */
export function defaultMenu(state: FakeTelegramState): readonly BotCommandEntry[] {
  return state.commands.get(menuKey({})) ?? []
}
