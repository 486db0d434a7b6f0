import { describe, expect, it } from 'vitest'
import { Registry } from '../registry/registry.js'
import type { ChannelAccountProgress, ChannelDefinition } from '../types/channels.js'
import { ChannelStatusBoard } from './channel-status.js'

function board(progress: () => ({ accountId: string } & ChannelAccountProgress)[]) {
  let now = 1_000_000
  const channels = new Registry<ChannelDefinition>('Channel')
  channels.add('test', 'poller', { id: 'poller', send: async () => ({ messageId: '1' }), status: progress })
  return { board: new ChannelStatusBoard(channels, () => now), advance: (ms: number) => (now += ms), now: () => now }
}

describe('ChannelStatusBoard', () => {
  it('shows a poller that stopped making progress as stale and unhealthy, though nothing failed', () => {
    let lastPoll = 1_000_000
    const b = board(() => [{ accountId: 'bot1', lastReceiveAt: lastPoll, staleAfterMs: 60_000 }])
    expect(b.board.snapshot()).toEqual([expect.objectContaining({ channel: 'poller', accountId: 'bot1', state: 'ok', healthy: true })])
    b.advance(61_000)
    expect(b.board.snapshot()[0]).toMatchObject({ state: 'stale', healthy: false })
    lastPoll = b.now()
    expect(b.board.snapshot()[0]).toMatchObject({ state: 'ok', healthy: true })
  })

  it('reports the last error until something succeeds after it', () => {
    const b = board(() => [])
    b.board.sent('poller', 'default', b.now())
    b.advance(10)
    b.board.failed('poller', 'default', 'receiver answered 500', b.now())
    expect(b.board.snapshot()[0]).toMatchObject({ state: 'error', healthy: false, lastError: { message: 'receiver answered 500' } })
    b.advance(10)
    b.board.sent('poller', 'default', b.now())
    expect(b.board.snapshot()[0]).toMatchObject({ state: 'ok', lastSendAt: b.now() })
  })

  it('lists an account with nothing yet as idle', () => {
    expect(board(() => []).board.snapshot()).toEqual([{ channel: 'poller', accountId: 'default', state: 'idle', healthy: true }])
  })
})
