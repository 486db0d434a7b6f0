import { createHmac } from 'node:crypto'
import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { isStandardSecret, signSha256, signStandardWebhook, verifyStandardWebhook } from './verify-signature.js'

const SECRET = 'whsec_' + Buffer.from('first secret, 32 bytes long.....').toString('base64')
const NEXT = 'whsec_' + Buffer.from('second secret, also quite long..').toString('base64')
const body = JSON.stringify({ from: { id: 'u1' }, text: 'hi' })
const now = Date.UTC(2026, 5, 1, 12)

function signed(secret = SECRET, at = now, id = 'msg_1') {
  return signStandardWebhook(secret, id, body, at)
}

describe('verifyStandardWebhook', () => {
  it('accepts a request signed by the package itself, and returns its webhook-id', () => {
    const date = new Date(now)
    const headers = { 'webhook-id': 'msg_x', 'webhook-timestamp': String(now / 1000), 'webhook-signature': new Webhook(SECRET).sign('msg_x', date, body) }
    expect(verifyStandardWebhook(Buffer.from(body), headers, [SECRET], now)).toEqual({ id: 'msg_x', timestamp: now })
  })

  it('accepts either of two secrets during a rotation', () => {
    expect(verifyStandardWebhook(Buffer.from(body), signed(NEXT), [SECRET, NEXT], now).id).toBe('msg_1')
    expect(verifyStandardWebhook(Buffer.from(body), signed(SECRET), [SECRET, NEXT], now).id).toBe('msg_1')
  })

  it('refuses a changed body, another secret or a changed id with 401', () => {
    expect(() => verifyStandardWebhook(Buffer.from(body + ' '), signed(), [SECRET], now)).toThrow(expect.objectContaining({ code: 'WH_ERR_SIGNATURE_INVALID', statusCode: 401 }))
    expect(() => verifyStandardWebhook(Buffer.from(body), signed(NEXT), [SECRET], now)).toThrow(expect.objectContaining({ statusCode: 401 }))
    expect(() => verifyStandardWebhook(Buffer.from(body), { ...signed(), 'webhook-id': 'msg_2' }, [SECRET], now)).toThrow(expect.objectContaining({ statusCode: 401 }))
    expect(() => verifyStandardWebhook(Buffer.from(body), { ...signed(), 'webhook-signature': undefined }, [SECRET], now)).toThrow(expect.objectContaining({ statusCode: 401 }))
  })

  it('refuses a correctly signed but stale or future timestamp with 400', () => {
    const old = now - 5 * 60_000 - 1000
    expect(() => verifyStandardWebhook(Buffer.from(body), signed(SECRET, old), [SECRET], now)).toThrow(expect.objectContaining({ code: 'WH_ERR_TIMESTAMP', statusCode: 400 }))
    expect(() => verifyStandardWebhook(Buffer.from(body), signed(SECRET, now + 6 * 60_000), [SECRET], now)).toThrow(expect.objectContaining({ statusCode: 400 }))
    expect(verifyStandardWebhook(Buffer.from(body), signed(SECRET, now - 4 * 60_000), [SECRET], now).id).toBe('msg_1')
  })

  it('answers a stale request with a bad signature 401, not 400', () => {
    expect(() => verifyStandardWebhook(Buffer.from(body), signed(NEXT, now - 3_600_000), [SECRET], now)).toThrow(expect.objectContaining({ statusCode: 401 }))
  })

  it('finds a valid signature among several in the header', () => {
    const h = signed()
    const headers = { ...h, 'webhook-signature': `v1,AAAA ${h['webhook-signature']}` }
    expect(verifyStandardWebhook(Buffer.from(body), headers, [SECRET], now).id).toBe('msg_1')
  })
})

describe('outbound signatures', () => {
  it('signs the seed way: hex HMAC-SHA256 of the body', () => {
    expect(signSha256('s3cret', body)).toEqual({ 'x-openclaw-signature': `sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}` })
  })

  it('signs Standard Webhooks headers the package verifies', () => {
    const headers = signStandardWebhook(SECRET, 'dk-1', body, Date.now())
    expect(new Webhook(SECRET).verify(body, headers)).toEqual(JSON.parse(body))
  })

  it('knows a usable Standard Webhooks secret', () => {
    expect(isStandardSecret(SECRET)).toBe(true)
    expect(isStandardSecret('not base64!')).toBe(false)
    expect(isStandardSecret('whsec_')).toBe(false)
  })
})
