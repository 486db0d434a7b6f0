import { createError } from '@openclaw/plugin-sdk'
import { describe, expect, it } from 'vitest'
import { rpcCodeOf, toRpcError } from './to-rpc-error.js'

describe('toRpcError', () => {
  it('should map a busy session to RATE_LIMITED, retryable, with retryAfterMs', () => {
    const Busy = createError<'CORE_ERR_SESSION_BUSY', [key: string, limit: number]>('CORE_ERR_SESSION_BUSY', "Session '%s' is busy: %d", 429)
    expect(toRpcError(new Busy('agent:main:main', 16)).error).toEqual({
      code: 'RATE_LIMITED', message: "Session 'agent:main:main' is busy: 16", details: { code: 'CORE_ERR_SESSION_BUSY' }, retryable: true, retryAfterMs: 1000,
    })
  })

  it('should map kernel codes by table, status and name', () => {
    expect(rpcCodeOf('CORE_ERR_SESSION_KEY_INVALID', 400)).toBe('INVALID_REQUEST')
    expect(rpcCodeOf('CORE_ERR_SESSION_AGENT_MISMATCH', 400)).toBe('INVALID_REQUEST')
    expect(rpcCodeOf('CORE_ERR_AGENT_UNKNOWN', 400)).toBe('INVALID_REQUEST')
    expect(rpcCodeOf('CORE_ERR_CHANNEL_UNKNOWN', 400)).toBe('INVALID_REQUEST')
    expect(rpcCodeOf('CORE_ERR_TOOL_UNKNOWN', 404)).toBe('NOT_FOUND')
    expect(rpcCodeOf('CORE_ERR_TOOL_TIMEOUT', undefined)).toBe('TIMEOUT')
    expect(rpcCodeOf('CORE_ERR_NO_PROVIDER', 503)).toBe('UNAVAILABLE')
    expect(rpcCodeOf('X_ERR_THING_INVALID', undefined)).toBe('INVALID_REQUEST')
    expect(rpcCodeOf('X_ERR_THING_NOT_FOUND', undefined)).toBe('NOT_FOUND')
    expect(rpcCodeOf('X_ERR_NOPE', 403)).toBe('FORBIDDEN')
    expect(rpcCodeOf('X_ERR_NOPE', 418)).toBe('INVALID_REQUEST')
    expect(rpcCodeOf('X_ERR_NOPE', undefined)).toBe('INTERNAL')
  })

  it('should hide the message of an error that is not coded, and flag it for the log', () => {
    expect(toRpcError(new TypeError('secret detail'))).toEqual({ error: { code: 'INTERNAL', message: 'internal error', details: { code: 'RPC_ERR_INTERNAL' } }, unexpected: true })
  })

  it('should keep details and retryAfterMs an error carries', () => {
    const Locked = createError<'RPC_ERR_LOCKED'>('RPC_ERR_LOCKED', 'locked', 429)
    const err = Object.assign(new Locked(), { retryAfterMs: 5000, details: { code: 'AUTH_RATE_LIMITED' } })
    expect(toRpcError(err).error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 5000, details: { code: 'AUTH_RATE_LIMITED' } })
  })
})
