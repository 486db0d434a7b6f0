import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../logging/logger.js'
import type { ChannelDefinition } from '../types/channels.js'
import { MediaStore, redactUrls } from './media-store.js'

function capture() {
  const lines: string[] = []
  const log = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) } as never })
  return { log, lines }
}

describe('MediaStore', () => {
  it('fetches through the channel into the store, by content hash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oc-media-'))
    const { log } = capture()
    const channel: ChannelDefinition = { id: 'x', send: async () => ({ messageId: '1' }), fetchMedia: async () => ({ data: Buffer.from('hello'), mimeType: 'text/plain' }) }
    const [a] = await new MediaStore(dir, 100, log).fetchAll(channel, 'default', [{ ref: 'file-1', kind: 'file', name: 'h.txt' }])
    expect(a).toEqual({ kind: 'file', data: Buffer.from('hello').toString('base64'), mimeType: 'text/plain', name: 'h.txt' })
    expect(readFileSync(join(dir, '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'), 'utf8')).toBe('hello')
  })

  it('skips media over the limit, and never logs the secret in a failing URL', async () => {
    const { log, lines } = capture()
    const channel: ChannelDefinition = {
      id: 'tg', send: async () => ({ messageId: '1' }),
      fetchMedia: async () => {
        throw new Error('GET https://api.telegram.org/file/bot123456:SECRET/photos/1.jpg failed')
      },
    }
    const store = new MediaStore(mkdtempSync(join(tmpdir(), 'oc-media-')), 10, log)
    expect(await store.fetchAll(channel, 'default', [{ ref: 'a', kind: 'image', size: 11 }, { ref: 'b', kind: 'image' }])).toEqual([])
    const output = lines.join('')
    expect(output).toContain('CORE_ERR_MEDIA_TOO_LARGE')
    expect(output).toContain('https://api.telegram.org/…')
    expect(output).not.toContain('SECRET')
  })

  it('cuts URLs to their host', () => {
    expect(redactUrls('see https://h.example/a/b?token=x and http://x.y/z')).toBe('see https://h.example/… and http://x.y/…')
  })
})
