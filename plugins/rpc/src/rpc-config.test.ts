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

  it('should refuse timer durations beyond Node\'s limit (a longer timer fires after 1 ms)', () => {
    for (const key of ['tickIntervalMs', 'handshakeTimeoutMs', 'methodTimeoutMs']) {
      const result = RpcConfigSchema.safeParse({ [key]: 3_000_000_000 })
      expect(result.success).toBe(false)
      expect(result.error?.issues[0]).toMatchObject({ path: [key], message: expect.stringContaining('at most 2147483647 ms') })
      expect(RpcConfigSchema.parse({ [key]: 2_147_483_647 })[key as 'tickIntervalMs']).toBe(2_147_483_647)
    }
  })
})
