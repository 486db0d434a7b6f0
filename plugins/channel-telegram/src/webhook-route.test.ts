import { timingSafeEqual } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { resolveAccounts } from './resolve-accounts.js'
import { TelegramConfigSchema } from './telegram-config.js'
import { createWebhookGuard, SECRET_HEADER } from './webhook-route.js'

const accounts = resolveAccounts(TelegramConfigSchema.parse({
  accounts: {
    a: { botToken: '1:a', webhookUrl: 'https://x.example/tg/a', webhookSecret: 'secret_a' },
    b: { botToken: '2:b', webhookUrl: 'https://x.example/tg/b', webhookSecret: 'secret_b' },
  },
}))
let failures = 0
const credentials = {
  check: () => ({ ok: true as const }),
  matches: (secret: string | undefined, presented: string) => secret !== undefined && secret.length === presented.length && timingSafeEqual(Buffer.from(secret), Buffer.from(presented)),
  fail: () => ++failures * 100,
}
const request = (url: string, secret?: string) => ({ method: 'POST', url, headers: secret === undefined ? {} : { [SECRET_HEADER]: secret }, ip: '127.0.0.1', bearer: undefined })

describe('the telegram-webhook guard', () => {
  const guard = createWebhookGuard(() => accounts)

  it("admits a request whose secret is its own path's account's", () => {
    expect(guard(request('/tg/a', 'secret_a'), credentials)).toEqual({ ok: true })
    expect(guard(request('/tg/b?x=1', 'secret_b'), credentials)).toEqual({ ok: true })
  })

  it("refuses another account's secret, a wrong one and none with 401 TG_ERR_WEBHOOK_SECRET, counted and answered late", () => {
    failures = 0
    for (const req of [request('/tg/a', 'secret_b'), request('/tg/a', 'nope'), request('/tg/a')]) {
      expect(guard(req, credentials)).toMatchObject({ ok: false, reason: 'refused', error: { statusCode: 401, code: 'TG_ERR_WEBHOOK_SECRET' }, delayMs: expect.any(Number) })
    }
    expect(failures).toBe(3)
  })
})
