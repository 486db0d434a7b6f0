import { describe, expect, it } from 'vitest'
import type { Logger } from '@openclaw/plugin-sdk'
import { AUTH_LOG_LINES_PER_MINUTE, AuthAuditLog } from './auth-audit-log.js'

function warnings(): { log: Logger; lines: { fields: Record<string, unknown>; message: string }[] } {
  const lines: { fields: Record<string, unknown>; message: string }[] = []
  const log = { warn: (fields: Record<string, unknown>, message: string) => lines.push({ fields, message }) } as unknown as Logger
  return { log, lines }
}

describe('AuthAuditLog', () => {
  it('should log at most a bounded number of lines a minute, and count what it left out', () => {
    let now = 0
    const { log, lines } = warnings()
    const audit = new AuthAuditLog(log, 'gateway', { lockoutMs: 60_000, now: () => now })
    for (let i = 0; i < 1000; i++) audit.onFailure(`10.0.${Math.floor(i / 250)}.${i % 250}`, 1, false)
    expect(lines).toHaveLength(AUTH_LOG_LINES_PER_MINUTE)
    now += 60_000
    audit.onFailure('10.1.0.1', 10, true)
    expect(lines).toHaveLength(AUTH_LOG_LINES_PER_MINUTE + 1)
    expect(lines.at(-1)).toMatchObject({ fields: { client: '10.1.0.1', failures: 10, suppressed: 1000 - AUTH_LOG_LINES_PER_MINUTE }, message: expect.stringContaining('locked out') })
  })

  it('should log a client once per window, not every failure', () => {
    const { log, lines } = warnings()
    const audit = new AuthAuditLog(log, 'hooks', { lockoutMs: 1, now: () => 0 })
    for (let failures = 1; failures <= 5; failures++) audit.onFailure('1.2.3.4', failures, false)
    expect(lines.map((l) => l.message)).toEqual(['failed hooks authentication from 1.2.3.4'])
  })
})
