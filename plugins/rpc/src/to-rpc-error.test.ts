import { createError } from '@openclaw/plugin-sdk'
import { describe, expect, it } from 'vitest'
import { RPC_ERROR_CODES } from './protocol.js'
import { rpcCodeOf, toRpcError } from './to-rpc-error.js'

describe('toRpcError', () => {
  it('should map a busy session to UNAVAILABLE, retryable, with retryAfterMs', () => {
    const Busy = createError<'CORE_ERR_SESSION_BUSY', [key: string, limit: number]>('CORE_ERR_SESSION_BUSY', "Session '%s' is busy: %d", 429)
    expect(toRpcError(new Busy('agent:main:main', 16)).error).toEqual({
      code: 'UNAVAILABLE', message: "Session 'agent:main:main' is busy: 16", details: { code: 'CORE_ERR_SESSION_BUSY' }, retryable: true, retryAfterMs: 1000,
    })
  })

  it('should map kernel codes by table, status and name, onto the canonical codes only', () => {
    const cases: [string, number | undefined, string][] = [
      ['CORE_ERR_SESSION_KEY_INVALID', 400, 'INVALID_REQUEST'],
      ['CORE_ERR_SESSION_AGENT_MISMATCH', 400, 'INVALID_REQUEST'],
      ['CORE_ERR_AGENT_UNKNOWN', 400, 'INVALID_REQUEST'],
      ['CORE_ERR_CHANNEL_UNKNOWN', 400, 'INVALID_REQUEST'],
      ['CORE_ERR_TOOL_UNKNOWN', 404, 'INVALID_REQUEST'],
      ['CORE_ERR_TOOL_TIMEOUT', 504, 'UNAVAILABLE'],
      ['CORE_ERR_RUN_TIMEOUT', 504, 'AGENT_TIMEOUT'],
      ['CORE_ERR_NO_PROVIDER', 503, 'UNAVAILABLE'],
      ['RPC_ERR_METHOD_UNKNOWN', 404, 'INVALID_REQUEST'],
      ['RPC_ERR_AUTH_MISMATCH', 401, 'INVALID_REQUEST'],
      ['RPC_ERR_AUTH_RATE_LIMITED', 429, 'INVALID_REQUEST'],
      ['X_ERR_THING_INVALID', undefined, 'INVALID_REQUEST'],
      ['X_ERR_THING_NOT_FOUND', undefined, 'INVALID_REQUEST'],
      ['X_ERR_THING_TIMEOUT', undefined, 'UNAVAILABLE'],
      ['X_ERR_NOPE', 403, 'FORBIDDEN'],
      ['X_ERR_NOPE', 418, 'INVALID_REQUEST'],
      ['X_ERR_NOPE', 429, 'UNAVAILABLE'],
      ['X_ERR_NOPE', 500, 'UNAVAILABLE'],
      ['X_ERR_NOPE', undefined, 'UNAVAILABLE'],
    ]
    for (const [code, status, expected] of cases) {
      expect([code, status, rpcCodeOf(code, status)]).toEqual([code, status, expected])
      expect(RPC_ERROR_CODES).toContain(rpcCodeOf(code, status))
    }
  })

  it('should hide the message of an error that is not coded, and flag it for the log', () => {
    expect(toRpcError(new TypeError('secret detail'))).toEqual({ error: { code: 'UNAVAILABLE', message: 'internal error', details: { code: 'RPC_ERR_INTERNAL' } }, unexpected: true })
  })

  it('should keep details and retryAfterMs an error carries', () => {
    const Locked = createError<'RPC_ERR_AUTH_RATE_LIMITED'>('RPC_ERR_AUTH_RATE_LIMITED', 'locked', 429)
    const err = Object.assign(new Locked(), { retryAfterMs: 5000, details: { code: 'AUTH_RATE_LIMITED' } })
    expect(toRpcError(err).error).toEqual({ code: 'INVALID_REQUEST', message: 'locked', retryable: true, retryAfterMs: 5000, details: { code: 'AUTH_RATE_LIMITED' } })
  })

  it('should not call a failure retryable unless trying again can help', () => {
    const Broken = createError<'X_ERR_BROKEN'>('X_ERR_BROKEN', 'broken', 500)
    expect(toRpcError(new Broken()).error).toEqual({ code: 'UNAVAILABLE', message: 'broken', details: { code: 'X_ERR_BROKEN' } })
  })
})
