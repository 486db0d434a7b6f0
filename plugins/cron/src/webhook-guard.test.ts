import { describe, expect, it } from 'vitest'
import { checkWebhookTarget } from './webhook-guard.js'

const publicDns = async () => [{ address: '93.184.216.34', family: 4 }]
const privateDns = async () => [{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.7', family: 4 }]

describe('webhook SSRF guard', () => {
  it('should refuse a host that resolves to any private address, and IP literals of one', async () => {
    await expect(checkWebhookTarget('https://hooks.example/x', { allowedHostnames: [] }, privateDns as never)).rejects.toMatchObject({ code: 'CRON_ERR_WEBHOOK_BLOCKED' })
    await expect(checkWebhookTarget('http://169.254.169.254/latest/meta-data', { allowedHostnames: [] })).rejects.toMatchObject({ code: 'CRON_ERR_WEBHOOK_BLOCKED' })
    await expect(checkWebhookTarget('http://[::1]:8080/', { allowedHostnames: [] })).rejects.toMatchObject({ code: 'CRON_ERR_WEBHOOK_BLOCKED' })
  })

  it('should refuse other schemes and credentials in the URL, without echoing them', async () => {
    await expect(checkWebhookTarget('file:///etc/passwd', { allowedHostnames: [] })).rejects.toMatchObject({ code: 'CRON_ERR_WEBHOOK_BLOCKED' })
    const err = await checkWebhookTarget('https://user:secret@hooks.example/', { allowedHostnames: [] }, publicDns as never).catch((e: Error) => e)
    expect(err).toMatchObject({ code: 'CRON_ERR_WEBHOOK_BLOCKED' })
    expect((err as Error).message).not.toContain('secret')
  })

  it('should let a public host through, and a private one that is allowed by name', async () => {
    await expect(checkWebhookTarget('https://hooks.example/x', { allowedHostnames: [] }, publicDns as never)).resolves.toBeInstanceOf(URL)
    await expect(checkWebhookTarget('http://127.0.0.1:9/x', { allowedHostnames: ['127.0.0.1'] })).resolves.toBeInstanceOf(URL)
  })
})
