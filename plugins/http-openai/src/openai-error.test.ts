import { createError } from '@openclaw/plugin-sdk'
import { describe, expect, it } from 'vitest'
import { invalidParam, openAiErrorType, runErrorToOpenAi, statusForCode, toOpenAiError } from './openai-error.js'

describe('OpenAI errors', () => {
  it('should name OpenClaw\'s error type for a status (unauthorized, rate_limited, api_error), else OpenAI\'s', () => {
    expect([400, 401, 403, 404, 413, 429, 500, 502, 503].map(openAiErrorType)).toEqual([
      'invalid_request_error', 'unauthorized', 'permission_error', 'invalid_request_error', 'invalid_request_error',
      'rate_limited', 'api_error', 'api_error', 'api_error',
    ])
  })

  it('should answer the status an error carries, else 500 for the gateway and 502 for an upstream', () => {
    expect(statusForCode('X_ERR_ANY', 418)).toBe(418)
    expect(statusForCode('CORE_ERR_NO_PROVIDER', 503)).toBe(503)
    expect(statusForCode('CORE_ERR_SOMETHING')).toBe(500)
    expect(statusForCode('SOME_ERR_ELSE')).toBe(502)
    expect(runErrorToOpenAi({ code: 'OPENAI_ERR_RATE_LIMITED', message: 'slow down', statusCode: 429 })).toEqual({
      status: 429,
      body: { error: { message: 'slow down', type: 'rate_limited', param: null, code: 'OPENAI_ERR_RATE_LIMITED' } },
    })
  })

  it('should keep a coded error code, status and param, and hide uncoded errors behind a 500', () => {
    expect(toOpenAiError(invalidParam('temperature', 'too hot'))).toEqual({
      status: 400,
      body: { error: { message: "Invalid 'temperature': too hot", type: 'invalid_request_error', param: 'temperature', code: 'OAI_ERR_INVALID_PARAM' } },
    })
    const Busy = createError<'T_ERR_BUSY'>('T_ERR_BUSY', 'busy', 429)
    expect(toOpenAiError(new Busy()).status).toBe(429)
    const hidden = toOpenAiError(new Error('secret stack detail'))
    expect(hidden.status).toBe(500)
    expect(hidden.body.error.message).not.toContain('secret')
  })

  it('should say how long to wait: the error\'s retryAfterMs, a second for a busy session', () => {
    const Limited = createError<'T_ERR_LIMITED'>('T_ERR_LIMITED', 'slow down', 429)
    expect(toOpenAiError(Object.assign(new Limited(), { retryAfterMs: 2500 })).retryAfterMs).toBe(2500)
    const SessionBusy = createError<'CORE_ERR_SESSION_BUSY'>('CORE_ERR_SESSION_BUSY', 'busy', 429)
    expect(toOpenAiError(new SessionBusy()).retryAfterMs).toBe(1000)
    expect(runErrorToOpenAi({ code: 'OPENAI_ERR_RATE_LIMITED', message: 'x', statusCode: 429, retryAfterMs: 7000 }).retryAfterMs).toBe(7000)
    expect(toOpenAiError(new Limited()).retryAfterMs).toBeUndefined()
  })
})
