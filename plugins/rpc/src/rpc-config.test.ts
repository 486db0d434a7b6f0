import { describe, expect, it } from 'vitest'
import { RpcConfigSchema } from './rpc-config.js'

describe('gateway.rpc config', () => {
  it('should apply the documented defaults', () => {
    expect(RpcConfigSchema.parse({})).toEqual({
      maxPayload: 1024 * 1024,
      maxBufferedBytes: 4 * 1024 * 1024,
      tickIntervalMs: 15_000,
      handshakeTimeoutMs: 5_000,
      maxConnectionsPerIp: 32,
      methodTimeoutMs: 60_000,
    })
  })

  it('should refuse unknown keys and nonsense values', () => {
    expect(RpcConfigSchema.safeParse({ maxpayload: 1 }).success).toBe(false)
    expect(RpcConfigSchema.safeParse({ maxPayload: 10 }).success).toBe(false)
    expect(RpcConfigSchema.safeParse({ maxConnectionsPerIp: 0 }).success).toBe(false)
    expect(RpcConfigSchema.safeParse({ tickIntervalMs: 1.5 }).success).toBe(false)
  })
})
