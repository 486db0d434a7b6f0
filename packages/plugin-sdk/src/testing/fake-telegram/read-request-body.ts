import type { IncomingMessage } from 'node:http'
import { BotApiError } from './bot-api-error.js'

/**
 * Read a request body into memory, up to `limitBytes`. A larger body is refused with
 * `413 Request Entity Too Large` (thrown as a {@link BotApiError}) as soon as the limit is passed.
 */
export async function readRequestBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge()
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    const buffer = chunk as Buffer
    size += buffer.length
    if (size > limitBytes) throw tooLarge()
    chunks.push(buffer)
  }
  return Buffer.concat(chunks)
}

function tooLarge(): BotApiError {
  return new BotApiError(413, 'Request Entity Too Large')
}
