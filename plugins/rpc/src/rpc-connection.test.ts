import { describe, expect, it, vi } from 'vitest'
import type { WebSocket } from 'ws'
import { RpcConnection } from './rpc-connection.js'

function fakeSocket(buffered: { bytes: number }): WebSocket & { sent: string[]; closedWith?: [number, string] } {
  const socket = {
    sent: [] as string[],
    closedWith: undefined as [number, string] | undefined,
    get bufferedAmount() {
      return buffered.bytes
    },
    send(frame: string) {
      socket.sent.push(frame)
    },
    close(code: number, reason: string) {
      socket.closedWith = [code, reason]
    },
    terminate: vi.fn(),
  }
  return socket as unknown as WebSocket & { sent: string[]; closedWith?: [number, string] }
}

describe('RpcConnection', () => {
  it('should number events per connection', () => {
    const ws = fakeSocket({ bytes: 0 })
    const connection = new RpcConnection('c1', ws, '127.0.0.1', 1024, () => undefined)
    connection.sendEvent('tick', '{"ts":1}')
    connection.sendEvent('agent', '{}')
    expect(ws.sent.map((f) => JSON.parse(f).seq)).toEqual([1, 2])
  })

  it('should cut a slow consumer off (1008 "slow consumer") instead of queueing more', () => {
    vi.useFakeTimers()
    const buffered = { bytes: 0 }
    const ws = fakeSocket(buffered)
    const onSlow = vi.fn()
    const connection = new RpcConnection('c1', ws, '127.0.0.1', 1024, onSlow)
    expect(connection.sendOk('1', '{}')).toBe(true)
    buffered.bytes = 4096
    expect(connection.sendOk('2', '{}')).toBe(false)
    expect(ws.closedWith).toEqual([1008, 'slow consumer'])
    expect(onSlow).toHaveBeenCalledOnce()
    expect(connection.open).toBe(false)
    expect(connection.sendOk('3', '{}')).toBe(false)
    expect(ws.sent).toHaveLength(1)
    vi.advanceTimersByTime(1000)
    expect(ws.terminate).toHaveBeenCalledOnce()
    vi.useRealTimers()
  })

  it('should abort its signal when it closes, and only make one when asked', () => {
    const connection = new RpcConnection('c1', fakeSocket({ bytes: 0 }), '127.0.0.1', 1024, () => undefined)
    const signal = connection.signal
    expect(signal.aborted).toBe(false)
    connection.markClosed()
    expect(signal.aborted).toBe(true)
  })
})
