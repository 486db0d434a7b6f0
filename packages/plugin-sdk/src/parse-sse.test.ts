import { describe, expect, it } from 'vitest'
import { parseSse, type SseEvent } from './parse-sse.js'

async function* from(chunks: readonly (string | Uint8Array)[]): AsyncGenerator<string | Uint8Array> {
  for (const chunk of chunks) yield chunk
}

async function collect(chunks: readonly (string | Uint8Array)[]): Promise<SseEvent[]> {
  const events: SseEvent[] = []
  for await (const event of parseSse(from(chunks))) events.push(event)
  return events
}

describe('parseSse', () => {
  it('should parse data-only events separated by blank lines', async () => {
    expect(await collect(['data: {"a":1}\n\ndata: [DONE]\n\n'])).toEqual([
      { event: undefined, data: '{"a":1}' },
      { event: undefined, data: '[DONE]' },
    ])
  })

  it('should read named events', async () => {
    expect(await collect(['event: message_start\ndata: {}\n\n'])).toEqual([{ event: 'message_start', data: '{}' }])
  })

  it('should join events split at any byte across chunks', async () => {
    const text = 'event: a\ndata: {"text":"héllo 👋"}\n\ndata: two\n\n'
    const bytes = new TextEncoder().encode(text)
    const whole = await collect([text])
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await collect([bytes.slice(0, cut), bytes.slice(cut)])).toEqual(whole)
    }
    expect(await collect([...bytes].map((b) => new Uint8Array([b])))).toEqual(whole)
  })

  it('should accept \\r\\n and \\r line ends, also when \\r\\n is split across chunks', async () => {
    expect(await collect(['data: a\r', '\n\r', '\ndata: b\r\rdata: c\n\n'])).toEqual([
      { event: undefined, data: 'a' },
      { event: undefined, data: 'b' },
      { event: undefined, data: 'c' },
    ])
  })

  it('should join multi-line data with \\n', async () => {
    expect(await collect(['data: line 1\ndata: line 2\ndata:line 3\n\n'])).toEqual([{ event: undefined, data: 'line 1\nline 2\nline 3' }])
  })

  it('should skip comments and unknown fields, and blank lines with no data', async () => {
    expect(await collect([': keep-alive\n\nid: 7\nretry: 10\nfoo\ndata: x\n\n\n\n'])).toEqual([{ event: undefined, data: 'x' }])
  })

  it('should dispatch an event still open when the body ends', async () => {
    expect(await collect(['data: last'])).toEqual([{ event: undefined, data: 'last' }])
  })

  it('should let the source finish when the consumer stops early', async () => {
    let closed = false
    async function* source(): AsyncGenerator<string> {
      try {
        yield 'data: 1\n\n'
        yield 'data: 2\n\n'
      } finally {
        closed = true
      }
    }
    for await (const event of parseSse(source())) {
      expect(event.data).toBe('1')
      break
    }
    expect(closed).toBe(true)
  })
})
