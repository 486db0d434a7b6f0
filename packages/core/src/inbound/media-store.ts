import { createHash } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CORE_ERR_MEDIA_FETCH, CORE_ERR_MEDIA_TOO_LARGE } from '../errors/codes.js'
import { isCodedError } from '../errors/create-error.js'
import type { Logger } from '../logging/logger.js'
import type { InboundMediaRef } from '../types/channel-events.js'
import type { ChannelDefinition } from '../types/channels.js'
import type { Attachment } from '../types/messages.js'

/** A URL in a message loses everything after its host: a token in a path or query never reaches a log. */
export function redactUrls(text: string): string {
  return text.replace(/\b(https?:\/\/[^/\s?#]+)[^\s]*/gi, '$1/…')
}

/**
 * Inbound media, fetched lazily (when the event runs, not when it is accepted) through the channel's
 * own `fetchMedia(ref)`, at most `maxBytes` each, into `<stateDir>/media/<sha256>`. The model and the
 * transcript get the bytes; the reference (which may carry a bot token) stays in the inbox row.
 */
export class MediaStore {
  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
    private readonly log: Logger,
  ) {}

  async fetchAll(channel: ChannelDefinition, accountId: string, refs: readonly InboundMediaRef[]): Promise<Attachment[]> {
    const out: Attachment[] = []
    for (const ref of refs) {
      try {
        out.push(await this.#fetch(channel, accountId, ref))
      } catch (err) {
        const code = isCodedError(err) ? err.code : CORE_ERR_MEDIA_FETCH.code
        this.log.warn({ channel: channel.id, kind: ref.kind, name: ref.name, code, err: redactUrls(err instanceof Error ? err.message : String(err)) }, 'inbound media skipped')
      }
    }
    return out
  }

  async #fetch(channel: ChannelDefinition, accountId: string, ref: InboundMediaRef): Promise<Attachment> {
    const name = ref.name ?? ref.kind
    if (ref.size !== undefined && ref.size > this.maxBytes) throw new CORE_ERR_MEDIA_TOO_LARGE(name, ref.size, this.maxBytes)
    if (!channel.fetchMedia) throw new CORE_ERR_MEDIA_FETCH(channel.id, 'the channel has no fetchMedia()')
    const fetched = await channel.fetchMedia(ref.ref, { accountId, maxBytes: this.maxBytes, signal: AbortSignal.timeout(60_000) })
    if (fetched.data.byteLength > this.maxBytes) throw new CORE_ERR_MEDIA_TOO_LARGE(name, fetched.data.byteLength, this.maxBytes)
    const digest = createHash('sha256').update(fetched.data).digest('hex')
    await mkdir(this.dir, { recursive: true })
    await writeFile(join(this.dir, digest), fetched.data)
    const mimeType = fetched.mimeType ?? ref.mimeType
    return {
      kind: ref.kind,
      data: Buffer.from(fetched.data).toString('base64'),
      ...(mimeType ? { mimeType } : {}),
      ...(fetched.name ?? ref.name ? { name: fetched.name ?? ref.name } : {}),
    }
  }
}
