import type { TgResponseParameters } from './telegram-types.js'

/**
 * An error answer of the fake Bot API, thrown by a method and sent as
 * `{ ok: false, error_code, description, parameters? }` with `error_code` as the HTTP status.
 */
export class BotApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: TgResponseParameters,
  ) {
    super(description)
    this.name = 'BotApiError'
  }
}

/** `400 Bad Request: <reason>`, Telegram's answer to a bad parameter. */
export function badRequest(reason: string): BotApiError {
  return new BotApiError(400, `Bad Request: ${reason}`)
}
