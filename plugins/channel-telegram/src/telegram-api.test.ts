import { GrammyError, HttpError } from 'grammy'
import { describe, expect, it } from 'vitest'
import { apiFailure, isEntityParseError, isNotModified } from './telegram-api.js'

const grammyError = (code: number, description: string, parameters = {}) => new GrammyError(`Call to 'sendMessage' failed! (${code}: ${description})`, { ok: false, error_code: code, description, parameters }, 'sendMessage', { chat_id: 1 })

describe('apiFailure', () => {
  it('makes a 429 a retry after retry_after', () => {
    expect(apiFailure(grammyError(429, 'Too Many Requests: retry after 7', { retry_after: 7 }), 'sendMessage')).toMatchObject({ code: 'TG_ERR_API', permanent: false, recipient: false, retryAfterMs: 7000 })
  })

  it("makes 403 and the 400s of an unreachable chat permanent and the recipient's, other 400s permanent only", () => {
    expect(apiFailure(grammyError(403, 'Forbidden: bot was blocked by the user'), 'sendMessage')).toMatchObject({ permanent: true, recipient: true, message: 'Telegram sendMessage failed: 403 Forbidden: bot was blocked by the user' })
    expect(apiFailure(grammyError(400, 'Bad Request: chat not found'), 'sendMessage')).toMatchObject({ permanent: true, recipient: true })
    expect(apiFailure(grammyError(400, 'Bad Request: message text is empty'), 'sendMessage')).toMatchObject({ permanent: true, recipient: false })
    expect(apiFailure(grammyError(502, 'Bad Gateway'), 'sendMessage')).toMatchObject({ permanent: false })
  })

  it('keeps only the code of a network failure: node-fetch puts the URL, with the token, in its message', () => {
    const inner = Object.assign(new Error('request to http://127.0.0.1:1/bot123:SECRET/getMe failed, reason: connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
    const failure = apiFailure(new HttpError("Network request for 'getMe' failed!", inner), 'getMe')
    expect(failure.message).toBe('Telegram getMe failed: network: ECONNREFUSED')
    expect(JSON.stringify(failure)).not.toContain('SECRET')
    expect(failure.cause).toBeUndefined()
  })

  it('makes a network failure once connected "maybe delivered" (the send is in doubt), one before connecting not', () => {
    const failed = (code: string) => apiFailure(new HttpError("Network request for 'sendMessage' failed!", Object.assign(new Error(code), { code })), 'sendMessage')
    expect(failed('ECONNREFUSED').maybeDelivered).toBe(false)
    expect(failed('ENOTFOUND').maybeDelivered).toBe(false)
    expect(failed('ECONNRESET').maybeDelivered).toBe(true)
    expect(failed('ETIMEDOUT').maybeDelivered).toBe(true)
    expect(apiFailure(grammyError(502, 'Bad Gateway'), 'sendMessage').maybeDelivered).toBeUndefined()
  })

  it('recognises "message is not modified" and refused HTML', () => {
    expect(isNotModified(apiFailure(grammyError(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same'), 'editMessageText'))).toBe(true)
    expect(isEntityParseError(apiFailure(grammyError(400, "Bad Request: can't parse entities: Unsupported start tag \"h1\""), 'sendMessage'))).toBe(true)
    expect(isNotModified(apiFailure(grammyError(400, 'Bad Request: chat not found'), 'editMessageText'))).toBe(false)
  })
})
