import type { Registry } from '../registry/registry.js'
import type { ChannelAccountStatus, ChannelDefinition } from '../types/channels.js'

interface Facts {
  lastReceiveAt?: number
  lastSendAt?: number
  lastError?: { message: string; at: number }
  inDoubt?: { count: number; lastAt: number }
}

/**
 * Liveness of every channel account from real progress: accepted events and sends the core saw
 * (counters of this replica, in memory), merged with what the channel reports of itself (a
 * poller's last successful poll). The truth of delivery is the outbox; this is a view of progress.
 */
export class ChannelStatusBoard {
  readonly #facts = new Map<string, Facts>()

  constructor(
    private readonly channels: Registry<ChannelDefinition>,
    private readonly now: () => number,
  ) {}

  #of(channel: string, account: string): Facts {
    const key = `${channel}\u0000${account}`
    let facts = this.#facts.get(key)
    if (!facts) this.#facts.set(key, (facts = {}))
    return facts
  }

  received(channel: string, account: string, at: number): void {
    this.#of(channel, account).lastReceiveAt = at
  }

  sent(channel: string, account: string, at: number): void {
    this.#of(channel, account).lastSendAt = at
  }

  failed(channel: string, account: string, message: string, at: number): void {
    this.#of(channel, account).lastError = { message: message.slice(0, 300), at }
  }

  /** A send cut off after it began was found (and resent or made a dead letter). */
  inDoubt(channel: string, account: string, at: number): void {
    const facts = this.#of(channel, account)
    facts.inDoubt = { count: (facts.inDoubt?.count ?? 0) + 1, lastAt: at }
  }

  /** Every account of every channel (those the channel reports, and those the core saw). */
  snapshot(): ChannelAccountStatus[] {
    const now = this.now()
    const out: ChannelAccountStatus[] = []
    for (const channel of this.channels.values()) {
      const reported = new Map((channel.status?.() ?? []).map((a) => [a.accountId, a]))
      const seen = [...this.#facts.keys()].filter((k) => k.startsWith(`${channel.id}\u0000`)).map((k) => k.slice(channel.id.length + 1))
      const accounts = new Set([...reported.keys(), ...seen])
      if (accounts.size === 0) accounts.add('default')
      for (const accountId of [...accounts].sort()) {
        const own = reported.get(accountId)
        const facts = this.#facts.get(`${channel.id}\u0000${accountId}`) ?? {}
        const lastReceiveAt = Math.max(own?.lastReceiveAt ?? 0, facts.lastReceiveAt ?? 0) || undefined
        const errors = [own?.lastError, facts.lastError].filter((e): e is { message: string; at: number } => e !== undefined).sort((a, b) => b.at - a.at)
        const lastError = errors[0]
        const lastSuccess = Math.max(lastReceiveAt ?? 0, facts.lastSendAt ?? 0)
        const stale = own?.staleAfterMs !== undefined && now - (own.lastReceiveAt ?? 0) > own.staleAfterMs
        const state = stale ? 'stale' : lastError && lastError.at > lastSuccess ? 'error' : lastSuccess > 0 ? 'ok' : 'idle'
        out.push({
          channel: channel.id,
          accountId,
          state,
          healthy: state === 'ok' || state === 'idle',
          ...(lastReceiveAt ? { lastReceiveAt } : {}),
          ...(facts.lastSendAt ? { lastSendAt: facts.lastSendAt } : {}),
          ...(lastError ? { lastError } : {}),
          ...(facts.inDoubt ? { inDoubt: { ...facts.inDoubt } } : {}),
        })
      }
    }
    return out
  }
}
