import type { Logger } from '@openclaw/plugin-sdk'
import { callApi, grammySignal } from './telegram-api.js'
import type { TelegramAccountRuntime } from './telegram-account.js'

/** One entry of a Telegram command menu. */
export interface MenuCommand {
  readonly command: string
  readonly description: string
}

/** What Telegram takes as a command name: 1-32 of a-z, 0-9 and `_`. */
const COMMAND_NAME = /^[a-z0-9_]{1,32}$/

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  new: 'Start a new session',
  reset: 'Reset the current session',
}

/**
 * The gateway's chat commands as a Telegram menu: each `session.resetTriggers` word that is a
 * `/command` Telegram can list (`/new` → `new`), in order, without duplicates. Others (`!fresh`) are
 * still triggers, just not in the menu.
 */
export function commandMenu(resetTriggers: readonly string[]): MenuCommand[] {
  const menu: MenuCommand[] = []
  for (const trigger of resetTriggers) {
    if (!trigger.startsWith('/')) continue
    const command = trigger.slice(1).toLowerCase()
    if (!COMMAND_NAME.test(command) || menu.some((m) => m.command === command)) continue
    menu.push({ command, description: DESCRIPTIONS[command] ?? 'Start the conversation over' })
  }
  return menu
}

/**
 * Set an account's command menu (`setMyCommands`, the default scope), once. A failure is a warning:
 * the menu is a convenience, the commands work without it. Every replica sets the same menu.
 */
export async function setCommandMenu(account: TelegramAccountRuntime, menu: readonly MenuCommand[], signal: AbortSignal, log: Logger): Promise<void> {
  try {
    await callApi('setMyCommands', () => account.api.setMyCommands(menu, {}, grammySignal(AbortSignal.any([signal, AbortSignal.timeout(30_000)]))))
    log.info({ account: account.id, commands: menu.map((m) => m.command) }, `telegram account '${account.id}': command menu set`)
  } catch (err) {
    if (signal.aborted) return
    log.warn({ account: account.id, code: (err as { code?: string }).code }, `telegram account '${account.id}': setMyCommands failed (the command menu is not updated; the commands still work): ${(err as Error).message}`)
  }
}
