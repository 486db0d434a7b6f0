import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fetchRemoteMedia } from './fetch-remote-media.js'

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)])
const channel = { id: 'memory', kinds: ['image', 'file'] as const, maxBytes: 1000 }
const allowLoopback = { allowedHostnames: ['127.0.0.1'], timeoutMs: 2000 }

let server: Server
let base: string
let hits = 0

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++
    const path = req.url ?? '/'
    if (path === '/cat.png?sig=secret') return void res.writeHead(200, { 'content-type': 'text/html' }).end(PNG)
    if (path === '/big-declared') return void res.writeHead(200, { 'content-length': '5000' }).end(Buffer.alloc(5000))
    if (path === '/big-streamed') {
      res.writeHead(200) // chunked: no content-length to trust
      for (let i = 0; i < 10; i++) res.write(Buffer.alloc(300, 1))
      return void res.end()
    }
    if (path === '/gone') return void res.writeHead(404).end('no')
    if (path === '/broken') return void res.writeHead(503).end('later')
    if (path === '/hop') return void res.writeHead(302, { location: '/cat.png?sig=secret' }).end()
    if (path === '/to-localhost') return void res.writeHead(302, { location: `http://localhost:${(server.address() as AddressInfo).port}/cat.png?sig=secret` }).end()
    if (path === '/audio') return void res.writeHead(200).end(Buffer.concat([Buffer.from('OggS'), Buffer.alloc(20)]))
    if (path === '/slow') return void setTimeout(() => res.end(PNG), 1500)
    res.writeHead(500).end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

describe('fetchRemoteMedia', () => {
  it('fetches the bytes, sniffs the type from them (not the server header) and names the file from the path', async () => {
    const media = await fetchRemoteMedia({ kind: 'file', url: `${base}/cat.png?sig=secret` }, channel, allowLoopback)
    expect(media).toEqual({ kind: 'image', mimeType: 'image/png', name: 'cat.png', data: PNG.toString('base64') })
  })

  it('follows a redirect, checking the new target too', async () => {
    await expect(fetchRemoteMedia({ kind: 'file', url: `${base}/hop` }, channel, allowLoopback)).resolves.toMatchObject({ mimeType: 'image/png' })
    // localhost is not allowed by name, and it resolves to loopback.
    await expect(fetchRemoteMedia({ kind: 'file', url: `${base}/to-localhost` }, channel, allowLoopback))
      .rejects.toMatchObject({ code: 'CORE_ERR_MEDIA_URL_BLOCKED', permanent: true, message: expect.stringContaining('private address') })
  })

  it('refuses private, link-local and credentialed URLs without fetching them', async () => {
    const before = hits
    const strict = { allowedHostnames: [], timeoutMs: 2000 }
    for (const url of [`${base}/cat.png`, 'http://169.254.169.254/latest/meta-data', 'http://[::1]/x', 'file:///etc/passwd', 'https://user:pw@example.com/x.png']) {
      await expect(fetchRemoteMedia({ kind: 'file', url }, channel, strict)).rejects.toMatchObject({ code: 'CORE_ERR_MEDIA_URL_BLOCKED', permanent: true })
    }
    expect(hits).toBe(before)
  })

  it('holds the size to the channel limit: by the declared length, or by cutting the body off', async () => {
    await expect(fetchRemoteMedia({ kind: 'file', url: `${base}/big-declared` }, channel, allowLoopback))
      .rejects.toMatchObject({ code: 'CORE_ERR_MEDIA_TOO_LARGE', permanent: true })
    await expect(fetchRemoteMedia({ kind: 'file', url: `${base}/big-streamed` }, channel, allowLoopback))
      .rejects.toMatchObject({ code: 'CORE_ERR_MEDIA_TOO_LARGE', permanent: true })
  })

  it('a 4xx is permanent; a 5xx and a timeout are left to retries', async () => {
    await expect(fetchRemoteMedia({ kind: 'file', url: `${base}/gone` }, channel, allowLoopback)).rejects.toMatchObject({ code: 'CORE_ERR_MEDIA_FETCH', permanent: true })
    const broken = await fetchRemoteMedia({ kind: 'file', url: `${base}/broken` }, channel, allowLoopback).catch((e: unknown) => e)
    expect(broken).toMatchObject({ code: 'CORE_ERR_MEDIA_FETCH', message: expect.stringContaining('HTTP 503') })
    expect((broken as { permanent?: boolean }).permanent).toBeUndefined()
    const slow = await fetchRemoteMedia({ kind: 'file', url: `${base}/slow` }, channel, { ...allowLoopback, timeoutMs: 200 }).catch((e: unknown) => e)
    expect(slow).toMatchObject({ code: 'CORE_ERR_MEDIA_FETCH', message: expect.stringContaining('no answer within 200 ms') })
    expect((slow as { permanent?: boolean }).permanent).toBeUndefined()
  })

  it('sends a kind the channel does not take as a file, and refuses it when files are not taken either', async () => {
    await expect(fetchRemoteMedia({ kind: 'file', url: `${base}/audio` }, channel, allowLoopback)).resolves.toMatchObject({ kind: 'file', mimeType: 'audio/ogg' })
    await expect(fetchRemoteMedia({ kind: 'file', url: `${base}/audio` }, { ...channel, kinds: ['image'] }, allowLoopback))
      .rejects.toMatchObject({ code: 'CORE_ERR_MEDIA_UNSUPPORTED', permanent: true })
  })

  it('never puts the query string (a signature or token) in an error', async () => {
    const err = (await fetchRemoteMedia({ kind: 'file', url: `${base}/gone?token=hunter2` }, channel, allowLoopback).catch((e: unknown) => e)) as Error
    expect(err.message).not.toContain('hunter2')
  })
})
