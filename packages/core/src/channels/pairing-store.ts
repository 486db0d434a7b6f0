import type { Clock } from '../clock/clock.js'
import { CORE_ERR_PAIRING_UNKNOWN } from '../errors/codes.js'
import type { SqlStore } from '../store/state-store.js'
import { createPairingCode, normalisePairingCode, PAIRING_CODE_TTL_MS, PAIRING_MAX_PENDING } from './pairing-code.js'

/** A pending pairing request, as `openclaw pairing list` shows it. */
export interface PairingRequest {
  readonly channel: string
  readonly accountId: string
  readonly senderId: string
  readonly senderName?: string
  readonly code: string
  readonly createdAt: number
  readonly expiresAt: number
}

interface PairingRow {
  channel: string
  account_id: string
  sender_id: string
  sender_name: string | null
  code: string | null
  state: string
  created_at: number
  expires_at: number | null
}

/** What asking for a code gave. */
export type PairingAsk =
  | { readonly status: 'issued'; readonly code: string }
  | { readonly status: 'pending'; readonly code: string }
  | { readonly status: 'limited' }

/**
 * DM pairing, as OpenClaw does it, in `core_pairing`: an unknown sender gets an 8-character code
 * valid for an hour (asking again within the hour gives the same code, and the bot answers only when
 * a code is issued); at most 3 pending requests per channel account; approval admits the sender to
 * direct messages on that account, never to groups.
 */
export class PairingStore {
  constructor(
    private readonly db: SqlStore,
    private readonly clock: Clock,
  ) {}

  async isApproved(channel: string, accountId: string, senderId: string): Promise<boolean> {
    const row = await this.db.get<{ state: string }>('SELECT state FROM core_pairing WHERE channel = ? AND account_id = ? AND sender_id = ?', [channel, accountId, senderId.toLowerCase()])
    return row?.state === 'approved'
  }

  async ask(channel: string, accountId: string, sender: { readonly id: string; readonly name?: string | undefined }): Promise<PairingAsk> {
    const now = this.clock.now()
    const senderId = sender.id.toLowerCase()
    return this.db.transaction(async (tx) => {
      const row = await tx.get<PairingRow>('SELECT * FROM core_pairing WHERE channel = ? AND account_id = ? AND sender_id = ?', [channel, accountId, senderId])
      if (row?.state === 'pending' && row.code && Number(row.expires_at) > now) return { status: 'pending', code: row.code } as const
      const pending = await tx.get<{ n: number }>(
        "SELECT COUNT(*) AS n FROM core_pairing WHERE channel = ? AND account_id = ? AND state = 'pending' AND expires_at > ?", [channel, accountId, now])
      if (Number(pending?.n ?? 0) >= PAIRING_MAX_PENDING) return { status: 'limited' } as const
      const code = createPairingCode()
      await tx.run(
        `INSERT INTO core_pairing (channel, account_id, sender_id, sender_name, code, state, created_at, expires_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)
         ON CONFLICT (channel, account_id, sender_id) DO UPDATE SET sender_name = excluded.sender_name, code = excluded.code, state = 'pending',
           created_at = excluded.created_at, expires_at = excluded.expires_at, approved_at = NULL`,
        [channel, accountId, senderId, sender.name ?? null, code, now, now + PAIRING_CODE_TTL_MS],
      )
      return { status: 'issued', code } as const
    })
  }

  async list(channel?: string): Promise<PairingRequest[]> {
    const now = this.clock.now()
    const rows = channel
      ? await this.db.all<PairingRow>("SELECT * FROM core_pairing WHERE state = 'pending' AND expires_at > ? AND channel = ? ORDER BY created_at", [now, channel])
      : await this.db.all<PairingRow>("SELECT * FROM core_pairing WHERE state = 'pending' AND expires_at > ? ORDER BY channel, created_at", [now])
    return rows.map((r) => ({
      channel: r.channel,
      accountId: r.account_id,
      senderId: r.sender_id,
      ...(r.sender_name ? { senderName: r.sender_name } : {}),
      code: r.code ?? '',
      createdAt: Number(r.created_at),
      expiresAt: Number(r.expires_at),
    }))
  }

  /** Approve the pending request with this code. Throws `CORE_ERR_PAIRING_UNKNOWN` when none matches. */
  async approve(channel: string, input: string, accountId?: string): Promise<{ readonly accountId: string; readonly senderId: string }> {
    const code = normalisePairingCode(input)
    const now = this.clock.now()
    const row = code
      ? await this.db.get<PairingRow>(
          `SELECT * FROM core_pairing WHERE channel = ? AND code = ? AND state = 'pending' AND expires_at > ?${accountId ? ' AND account_id = ?' : ''}`,
          accountId ? [channel, code, now, accountId] : [channel, code, now])
      : undefined
    if (!row) throw new CORE_ERR_PAIRING_UNKNOWN(channel, input.slice(0, 16))
    await this.db.run("UPDATE core_pairing SET state = 'approved', approved_at = ?, code = NULL WHERE channel = ? AND account_id = ? AND sender_id = ?", [now, channel, row.account_id, row.sender_id])
    return { accountId: row.account_id, senderId: row.sender_id }
  }
}
