import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type GrammyError, InputFile } from 'grammy'
import { describe, expect, it } from 'vitest'
import { useFakeTelegram } from './grammy-test-bots.js'

const { start, botFor } = useFakeTelegram()
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex')

describe('fake Telegram: media', () => {
  it('serves a photo a user sent through getFile and the download path, and nowhere without the token', async () => {
    const tg = await start()
    const api = botFor(tg).api
    const user = tg.user()
    const message = tg.sendPhoto(user, { bytes: PNG, mime: 'image/png', caption: 'look @someone' })
    expect(message.caption).toBe('look @someone')
    expect(message.caption_entities).toEqual([{ type: 'mention', offset: 5, length: 8 }])
    const photo = message.photo!.at(-1)!
    const [update] = await api.getUpdates()
    expect(update!.message!.photo!.at(-1)!.file_id).toBe(photo.file_id)

    const file = await api.getFile(photo.file_id)
    expect(file).toMatchObject({ file_id: photo.file_id, file_size: PNG.length, file_path: expect.stringMatching(/^photos\/file_\d+\.png$/) })
    const download = await fetch(tg.fileUrl(file.file_path!))
    expect(download.status).toBe(200)
    expect(download.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await download.arrayBuffer()).equals(PNG)).toBe(true)
    expect((await fetch(`${tg.apiRoot}/file/bot1:wrong/${file.file_path}`)).status).toBe(404)
    expect((await fetch(tg.fileUrl('photos/nothing.jpg'))).status).toBe(404)
    expect(await api.getFile('nope').catch((error: GrammyError) => error.description)).toBe('Bad Request: invalid file_id')

    const document = tg.sendDocument({ chat: tg.group(), from: user }, { bytes: Buffer.from('%PDF-1.7'), fileName: 'report.pdf', mime: 'application/pdf' })
    expect(document.document).toMatchObject({ file_name: 'report.pdf', mime_type: 'application/pdf', file_size: 8 })
    const documentFile = await api.getFile(document.document!.file_id)
    expect(documentFile.file_path).toMatch(/^documents\/file_\d+\.pdf$/)
  })

  it('takes photo and document uploads by multipart (grammY InputFile), with captions', async () => {
    const tg = await start()
    const api = botFor(tg).api
    const user = tg.user()
    const sent = await api.sendPhoto(user.id, new InputFile(PNG, 'chart.png'), { caption: '<i>Chart</i>', parse_mode: 'HTML' })
    expect(sent).toMatchObject({ caption: 'Chart', caption_entities: [{ type: 'italic', offset: 0, length: 5 }] })
    expect(sent.photo!.at(-1)!.file_size).toBe(PNG.length)
    const doc = await api.sendDocument(user.id, new InputFile(Buffer.from('a,b\n1,2\n'), 'data.csv'), { caption: 'Data' })
    expect(doc.document).toMatchObject({ file_name: 'data.csv', file_size: 8 })

    const [photoCall, documentCall] = tg.calls.filter((call) => call.method === 'sendPhoto' || call.method === 'sendDocument')
    expect(photoCall).toMatchObject({ encoding: 'multipart', uploads: [{ fileName: 'chart.png', size: PNG.length }], status: 200 })
    expect(documentCall!.params).toMatchObject({ chat_id: user.id, caption: 'Data', document: expect.stringMatching(/^attach:\/\//) })

    const [photoMessage, documentMessage] = tg.messagesTo(user.id)
    expect(photoMessage).toMatchObject({ kind: 'photo', text: '<i>Chart</i>', plainText: 'Chart' })
    expect(photoMessage!.file!.bytes.equals(PNG)).toBe(true)
    expect(documentMessage).toMatchObject({ kind: 'document', plainText: 'Data' })
    expect(documentMessage!.file!.bytes.toString()).toBe('a,b\n1,2\n')

    // Sent again by file_id: no upload, same file.
    const again = await api.sendPhoto(user.id, sent.photo!.at(-1)!.file_id)
    expect(again.photo!.at(-1)!.file_id).toBe(sent.photo!.at(-1)!.file_id)
    expect(await api.sendPhoto(user.id, 'unknown-file-id').catch((error: GrammyError) => error.description)).toBe('Bad Request: wrong file identifier/HTTP URL specified')
    expect(await api.sendPhoto(user.id, new InputFile(PNG), { caption: 'c'.repeat(1025) }).catch((error: GrammyError) => error.description)).toBe('Bad Request: message caption is too long')
  })

  it('fetches a photo sent by URL', async () => {
    const tg = await start()
    const api = botFor(tg).api
    const user = tg.user()
    const files = createServer((req, res) => {
      if (req.url === '/cat.png') res.writeHead(200, { 'content-type': 'image/png' }).end(PNG)
      else res.writeHead(404).end()
    })
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve))
    try {
      const base = `http://127.0.0.1:${(files.address() as AddressInfo).port}`
      await api.sendPhoto(user.id, `${base}/cat.png`)
      expect(tg.messagesTo(user.id)[0]!.file).toMatchObject({ fileName: 'cat.png', mimeType: 'image/png' })
      expect(await api.sendPhoto(user.id, `${base}/missing.png`).catch((error: GrammyError) => error.description)).toBe('Bad Request: failed to get HTTP URL content')
    } finally {
      await new Promise((resolve) => files.close(resolve))
    }
  })
})
