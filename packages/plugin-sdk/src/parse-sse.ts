/** One server-sent event. */
export interface SseEvent {
  /** The `event:` field; `undefined` for unnamed events. */
  readonly event: string | undefined
  /** The `data:` lines, joined with `\n`. */
  readonly data: string
}

/**
 * Parse a `text/event-stream` body incrementally, whatever the chunk boundaries: `\n`, `\r\n` and `\r`
 * line ends (also split across chunks), multi-line `data:`, comments and multi-byte characters. An
 * event still open when the body ends is dispatched too, for servers that omit the last blank line.
 */
export async function* parseSse(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder()
  let buffer = ''
  let data: string[] = []
  let event: string | undefined

  /** Handle one line; returns the event it completes, if any. */
  const line = (text: string): SseEvent | undefined => {
    if (text === '') {
      const done = data.length > 0 ? { event, data: data.join('\n') } : undefined
      data = []
      event = undefined
      return done
    }
    if (text.charCodeAt(0) === 58 /* : */) return undefined
    const colon = text.indexOf(':')
    const field = colon === -1 ? text : text.slice(0, colon)
    let value = colon === -1 ? '' : text.slice(colon + 1)
    if (value.charCodeAt(0) === 32 /* space */) value = value.slice(1)
    if (field === 'data') data.push(value)
    else if (field === 'event') event = value
    return undefined
  }

  let final = false
  const iterator = chunks[Symbol.asyncIterator]()
  try {
    while (!final) {
      const next = await iterator.next()
      if (next.done) {
        buffer += decoder.decode()
        final = true
      } else {
        buffer += typeof next.value === 'string' ? next.value : decoder.decode(next.value, { stream: true })
      }
      let start = 0
      // Most streams use `\n` only: find the next `\r` once, not once per line.
      let cr = buffer.indexOf('\r')
      for (;;) {
        const lf = buffer.indexOf('\n', start)
        if (cr !== -1 && cr < start) cr = buffer.indexOf('\r', start)
        let end: number
        let after: number
        if (cr !== -1 && (lf === -1 || cr < lf)) {
          // A `\r` last in the buffer may be the first half of a `\r\n` split across chunks.
          if (cr === buffer.length - 1 && !final) break
          end = cr
          after = buffer.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1
        } else if (lf !== -1) {
          end = lf
          after = lf + 1
        } else {
          break
        }
        const done = line(buffer.slice(start, end))
        start = after
        if (done) yield done
      }
      buffer = buffer.slice(start)
    }
  } finally {
    // Stopped early (the consumer returned, or threw): let the source release its body.
    if (!final) await iterator.return?.()
  }
  if (buffer !== '') {
    const done = line(buffer)
    if (done) yield done
  }
  const last = line('')
  if (last) yield last
}
