import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createError, type ModelStreamEvent } from '@openclaw/core'
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest'
import { parseSse } from './parse-sse.js'
import { streamModelCall, type ModelCallContext, type ModelCallOptions } from './stream-model-call.js'
import { createScriptedModelServer, type ScriptedModelServer } from './testing/index.js'

// A provider's own codes, as a plugin's errors.ts declares them.
const TEST_ERR_AUTH = createError<'TEST_ERR_AUTH', [provider: string, status: number, message: string]>('TEST_ERR_AUTH', "Provider '%s' rejected the credentials (HTTP %s): %s", 502)
const TEST_ERR_RATE_LIMITED = createError<'TEST_ERR_RATE_LIMITED', [provider: string, status: number, message: string]>('TEST_ERR_RATE_LIMITED', "Provider '%s' is rate limiting requests (HTTP %s): %s", 429)
const TEST_ERR_UPSTREAM = createError<'TEST_ERR_UPSTREAM', [provider: string, what: string, message: string]>('TEST_ERR_UPSTREAM', "Provider '%s' failed (%s): %s", 502)
const TEST_ERR_BAD_REQUEST = createError<'TEST_ERR_BAD_REQUEST', [provider: string, status: number, message: string]>('TEST_ERR_BAD_REQUEST', "Provider '%s' refused the request (HTTP %s): %s", 502)
const TEST_ERR_UNREACHABLE = createError<'TEST_ERR_UNREACHABLE', [provider: string, origin: string, reason: string]>('TEST_ERR_UNREACHABLE', "Provider '%s' is unreachable at %s: %s", 503)
const TEST_ERR_TIMEOUT = createError<'TEST_ERR_TIMEOUT', [provider: string, what: string]>('TEST_ERR_TIMEOUT', "Provider '%s' timed out: %s", 504)
const errors = { auth: TEST_ERR_AUTH, rateLimited: TEST_ERR_RATE_LIMITED, upstream: TEST_ERR_UPSTREAM, badRequest: TEST_ERR_BAD_REQUEST, unreachable: TEST_ERR_UNREACHABLE, timeout: TEST_ERR_TIMEOUT }

let server: ScriptedModelServer

beforeEach(async () => {
  server = await createScriptedModelServer()
})

afterEach(async () => {
  await server.close()
})

const API_KEY = 'sk-sdk-test-key-0123456789'

/** A minimal reader of the scripted server's Chat Completions stream: text deltas, then finish at `[DONE]`. */
async function* readTestStream(chunks: AsyncIterable<Uint8Array>, call: ModelCallContext): AsyncGenerator<ModelStreamEvent> {
  for await (const { data } of parseSse(chunks)) {
    if (data === '[DONE]') {
      yield { type: 'finish', reason: 'stop' }
      return
    }
    const text = (JSON.parse(data) as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta?.content
    if (text) yield { type: 'text', delta: text }
  }
  throw Object.assign(new TEST_ERR_UPSTREAM(call.provider, 'stream', 'the stream ended before [DONE]'), call.errorDetails(true))
}

/** A minimal reader of the scripted server's whole Chat Completions answer: the text, then finish. */
function* readTestJson(body: unknown): Generator<ModelStreamEvent> {
  const text = (body as { choices?: { message?: { content?: string } }[] }).choices?.[0]?.message?.content
  if (text) yield { type: 'text', delta: text }
  yield { type: 'finish', reason: 'stop' }
}

/** A loopback server answering every request with `handler`; closed after the test. */
async function rawServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const raw = createServer(handler)
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve))
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        raw.closeAllConnections()
        raw.close(() => resolve())
      }),
  )
  return `http://127.0.0.1:${(raw.address() as AddressInfo).port}/v1/chat/completions`
}

function call(options: Partial<ModelCallOptions> = {}, request: Partial<ModelCallOptions['request']> = {}) {
  return streamModelCall({
    provider: 'test',
    url: `${server.baseUrl}/chat/completions`,
    headers: { authorization: `Bearer ${API_KEY}` },
    body: { model: 'test-model', stream: true },
    request: { signal: new AbortController().signal, ...request },
    secrets: [API_KEY],
    errors,
    readStream: readTestStream,
    retryBaseDelayMs: 10,
    ...options,
  })
}

/** Every event the call yields. */
const collect = async (events: AsyncIterable<ModelStreamEvent>) => {
  const out: ModelStreamEvent[] = []
  for await (const event of events) out.push(event)
  return out
}

/** The error the call must reject with, and how long that took. */
async function failure(events: AsyncIterable<ModelStreamEvent>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now()
  const error = await collect(events).then(() => expect.unreachable('expected the stream to fail'), (err: unknown) => err)
  return { error, ms: Date.now() - started }
}

const textOf = (events: readonly ModelStreamEvent[]) => events.map((e) => (e.type === 'text' ? e.delta : '')).join('')

describe('streamModelCall', () => {
  describe('streaming', () => {
    it('should POST the body as JSON with the headers, and yield what readStream reads', async () => {
      server.reply({ text: 'Hello brave new world' })
      const events = await collect(call({ headers: { authorization: `Bearer ${API_KEY}`, 'x-extra': 'yes' } }))
      expect(events.filter((e) => e.type === 'text').length).toBeGreaterThan(1)
      expect(textOf(events)).toBe('Hello brave new world')
      expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' })
      const [recorded] = server.requests
      expect(recorded).toMatchObject({ method: 'POST', path: '/v1/chat/completions', body: { model: 'test-model', stream: true } })
      expect(recorded?.headers).toMatchObject({ 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${API_KEY}`, 'x-extra': 'yes' })
    })

    it('should yield events as they arrive, before the response ends', async () => {
      server.reply({ text: 'one two three four', chunkDelayMs: 30 })
      for await (const event of call()) {
        expect(event).toEqual({ type: 'text', delta: 'one ' })
        expect(server.inFlight).toBe(1)
        break
      }
      // Stopping early cancels the HTTP request.
      await expect.poll(() => server.inFlight).toBe(0)
    })
  })

  describe('whole answers (JSON)', () => {
    /** A call that asks for the whole answer: `stream: false` in the body and the request. */
    const wholeCall = (options: Partial<ModelCallOptions> = {}, request: Partial<ModelCallOptions['request']> = {}) =>
      call({ body: { model: 'test-model', stream: false }, readJson: readTestJson, ...options }, { stream: false, ...request })

    it('should hand a JSON answer, parsed, to readJson and yield its events', async () => {
      server.reply({ text: 'Hello brave new world' })
      const seen: unknown[] = []
      const events = await collect(
        wholeCall({
          readJson: (body, context) => {
            seen.push(body, context.provider)
            return readTestJson(body)
          },
          readStream: () => expect.unreachable('a JSON answer does not go to readStream'),
        }),
      )
      expect(events).toEqual([
        { type: 'text', delta: 'Hello brave new world' },
        { type: 'finish', reason: 'stop' },
      ])
      expect(seen).toEqual([expect.objectContaining({ object: 'chat.completion' }), 'test'])
      expect(server.requests[0]?.body).toEqual({ model: 'test-model', stream: false })
    })

    it('should ask for JSON when request.stream is false, for a stream otherwise, under the caller headers', async () => {
      await collect(wholeCall())
      await collect(call({}, { stream: true }))
      await collect(call())
      await collect(wholeCall({ headers: { accept: 'application/x-custom' } }))
      expect(server.requests.map((r) => r.headers.accept)).toEqual(['application/json', 'text/event-stream', 'text/event-stream', 'application/x-custom'])
      expect(server.requests[0]?.headers['content-type']).toBe('application/json')
    })

    it('should read an SSE answer to a stream:false request with readStream', async () => {
      // The body still asks for a stream: the server streams, whatever request.stream says.
      server.reply({ text: 'streamed after all' })
      const events = await collect(call({ readJson: () => expect.unreachable('an SSE answer does not go to readJson') }, { stream: false }))
      expect(events.filter((e) => e.type === 'text').length).toBeGreaterThan(1)
      expect(textOf(events)).toBe('streamed after all')
    })

    it('should read a JSON answer with readStream when there is no readJson', async () => {
      server.reply({ text: 'whole' })
      const seen: string[] = []
      const readStream: ModelCallOptions['readStream'] = (chunks, context) => {
        seen.push('readStream')
        return readTestStream(chunks, context)
      }
      // The test reader finds no `[DONE]` in a JSON body: it fails, as a real stream reader would.
      const { error } = await failure(call({ body: { model: 'test-model', stream: false }, maxRetries: 0, readStream }, { stream: false }))
      expect(seen).toEqual(['readStream'])
      expect(error).toMatchObject({ code: 'TEST_ERR_UPSTREAM' })
    })

    it('should read an answer sent in slow chunks, each one restarting the idle timer', async () => {
      const answer = JSON.stringify({ choices: [{ message: { content: 'slow but steady' } }] })
      const url = await rawServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
        const pieces = [answer.slice(0, 10), answer.slice(10, 20), answer.slice(20, 30), answer.slice(30)]
        const next = () => {
          const piece = pieces.shift()
          if (piece === undefined) res.end()
          else {
            res.write(piece)
            setTimeout(next, 200)
          }
        }
        next()
      })
      // 4 × 200 ms: longer than timeoutMs in all, never that long without data (300 ms of slack for a loaded machine).
      expect(await collect(wholeCall({ url, timeoutMs: 500, maxRetries: 0 }))).toEqual([
        { type: 'text', delta: 'slow but steady' },
        { type: 'finish', reason: 'stop' },
      ])
    })

    it('should accept a +json content type', async () => {
      const url = await rawServer((_req, res) => res.writeHead(200, { 'content-type': 'application/vnd.test+json' }).end('{"choices":[{"message":{"content":"hi"}}]}'))
      expect(textOf(await collect(wholeCall({ url })))).toBe('hi')
    })

    it('should throw a non-retryable upstream error naming malformed JSON, secrets masked', async () => {
      let requests = 0
      const url = await rawServer((_req, res) => {
        requests++
        res.writeHead(200, { 'content-type': 'application/json' }).end(`{"choices": [ oops ${API_KEY} ${'x'.repeat(500)}`)
      })
      const { error } = await failure(wholeCall({ url }))
      expect(error).toMatchObject({ code: 'TEST_ERR_UPSTREAM', provider: 'test', upstreamStatus: undefined, retryable: false })
      expect((error as Error).message).toContain('malformed JSON: {"choices": [ oops')
      expect((error as Error).message).not.toContain(API_KEY)
      expect((error as Error).message).not.toContain('x'.repeat(200))
      expect(requests).toBe(1)
    })

    it('should throw a non-retryable upstream error for an answer over 32 MiB', async () => {
      const url = await rawServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' })
        const chunk = Buffer.alloc(1024 * 1024, ' ')
        let sent = 0
        const write = () => {
          while (sent < 40 && !res.destroyed) {
            sent++
            if (!res.write(chunk)) return void res.once('drain', write)
          }
          res.end()
        }
        res.on('error', () => undefined)
        write()
      })
      const { error } = await failure(wholeCall({ url }))
      expect(error).toMatchObject({ code: 'TEST_ERR_UPSTREAM', retryable: false })
      expect((error as Error).message).toContain('over 32 MiB')
    })

    it('should retry what readJson throws only when it is a retryable upstream error', async () => {
      let attempts = 0
      const overloadedFirst: ModelCallOptions['readJson'] = (body, context) => {
        if (++attempts === 1) throw Object.assign(new TEST_ERR_UPSTREAM(context.provider, 'error in answer', 'overloaded'), context.errorDetails(true))
        return readTestJson(body)
      }
      expect(textOf(await collect(wholeCall({ readJson: overloadedFirst })))).toBe('ok')
      expect(server.requests).toHaveLength(2)

      server.reset()
      const { error } = await failure(
        wholeCall({
          readJson: () => {
            throw new TypeError(`Cannot read properties of undefined (${API_KEY})`)
          },
        }),
      )
      expect(error).toMatchObject({ code: 'TEST_ERR_UPSTREAM', upstreamStatus: undefined, retryable: false })
      expect((error as Error).message).toContain('Cannot read properties of undefined')
      expect((error as Error).message).not.toContain(API_KEY)
      expect(server.requests).toHaveLength(1)
    })

    it('should throw what readJson throws after an event as it comes, without retrying', async () => {
      function* failingLate(body: unknown, context: ModelCallContext): Generator<ModelStreamEvent> {
        yield* [...readTestJson(body)].slice(0, 1)
        throw Object.assign(new TEST_ERR_UPSTREAM(context.provider, 'error in answer', 'late'), context.errorDetails(true))
      }
      const { error } = await failure(wholeCall({ readJson: failingLate }))
      expect(error).toMatchObject({ code: 'TEST_ERR_UPSTREAM', retryable: true })
      expect(server.requests).toHaveLength(1)
    })

    it('should time out waiting for the whole answer, and stop when aborted', async () => {
      server.hang()
      const { error } = await failure(wholeCall({ timeoutMs: 50, maxRetries: 0 }))
      expect(error).toMatchObject({ code: 'TEST_ERR_TIMEOUT' })

      const controller = new AbortController()
      const reason = new Error('run aborted')
      const seen: ModelStreamEvent[] = []
      server.reply({ text: 'whole answer' })
      const aborted = await failure(
        (async function* () {
          for await (const event of wholeCall({}, { signal: controller.signal })) {
            seen.push(event)
            controller.abort(reason)
            yield event
          }
        })(),
      )
      expect(seen).toHaveLength(1)
      expect(aborted.error).toBe(reason)
      await expect.poll(() => server.inFlight).toBe(0)
    })
  })

  describe('retries', () => {
    it('should retry a 429 after the Retry-After it asks for, then succeed', async () => {
      server.fail({ status: 429, headers: { 'retry-after-ms': '50' } }).reply({ text: 'done' })
      const started = Date.now()
      // A backoff this long would time the test out: only Retry-After can make it pass.
      const events = await collect(call({ retryBaseDelayMs: 30_000 }))
      const elapsed = Date.now() - started
      expect(textOf(events)).toBe('done')
      expect(server.requests).toHaveLength(2)
      expect(elapsed).toBeGreaterThanOrEqual(45)
      expect(elapsed).toBeLessThan(2000)
    })

    it('should honour a Retry-After in seconds', async () => {
      server.fail({ status: 429, headers: { 'retry-after': '0' } }).reply({ text: 'done' })
      await collect(call({ retryBaseDelayMs: 30_000 }))
      expect(server.requests).toHaveLength(2)
    })

    it('should retry a 500 with backoff', async () => {
      server.fail({ status: 500, times: 2 }).reply({ text: 'recovered' })
      const events = await collect(call())
      expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' })
      expect(server.requests).toHaveLength(3)
    })

    it('should retry a 529 overloaded answer', async () => {
      server.fail({ status: 529 }).reply({ text: 'back' })
      const events = await collect(call())
      expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' })
      expect(server.requests).toHaveLength(2)
    })

    it('should give up after maxRetries with the upstream error and the upstream status', async () => {
      server.fail({ status: 503, times: 5 })
      const { error } = await failure(call({ maxRetries: 2 }))
      expect(error).toMatchObject({ code: 'TEST_ERR_UPSTREAM', statusCode: 502, upstreamStatus: 503, provider: 'test', retryable: true })
      expect(server.requests).toHaveLength(3)
    })

    it('should throw the rate-limited error when 429s outlast the retries', async () => {
      server.fail({ status: 429, headers: { 'retry-after-ms': '5' }, times: 3 })
      const { error } = await failure(call({ maxRetries: 1 }))
      expect(error).toMatchObject({ code: 'TEST_ERR_RATE_LIMITED', upstreamStatus: 429, retryAfterMs: 5 })
      expect(server.requests).toHaveLength(2)
    })

    it('should not wait for a Retry-After longer than maxRetryAfterMs', async () => {
      server.fail({ status: 429, headers: { 'retry-after': '3600' } })
      const { error, ms } = await failure(call({ maxRetryAfterMs: 1000 }))
      expect(error).toMatchObject({ code: 'TEST_ERR_RATE_LIMITED', retryAfterMs: 3_600_000 })
      expect(ms).toBeLessThan(500)
    })

    it('should follow x-should-retry over the status', async () => {
      server.fail({ status: 409, headers: { 'x-should-retry': 'true' } }).reply({ text: 'ok' })
      expect(textOf(await collect(call()))).toBe('ok')
      expect(server.requests).toHaveLength(2)

      server.reset()
      server.fail({ status: 503, headers: { 'x-should-retry': 'false' } }).reply({ text: 'never' })
      const { error } = await failure(call())
      expect(error).toMatchObject({ code: 'TEST_ERR_UPSTREAM', upstreamStatus: 503, retryable: false })
      expect(server.requests).toHaveLength(1)
    })

    it('should not retry once output was yielded', async () => {
      server.reply({ text: 'partial answer that is cut short', chunkDelayMs: 40 })
      const seen: ModelStreamEvent[] = []
      const { error } = await failure(
        (async function* () {
          for await (const event of call()) {
            seen.push(event)
            if (seen.length === 1) void server.close()
            yield event
          }
        })(),
      )
      expect(seen.length).toBeGreaterThan(0)
      expect(error).toMatchObject({ code: 'TEST_ERR_UPSTREAM' })
      expect(server.requests).toHaveLength(1)
    })
  })

  describe('what readStream throws', () => {
    /** A reader that throws `error` (made from the call's context) on its first attempt, and reads normally after. */
    function failingFirst(error: (call: ModelCallContext) => unknown): ModelCallOptions['readStream'] {
      let attempts = 0
      return (chunks, context) => {
        attempts++
        if (attempts > 1) return readTestStream(chunks, context)
        return { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error(context)) }) }
      }
    }

    it('should pass on its own coded errors with their details, retrying the retryable ones', async () => {
      const retryable = (c: ModelCallContext) => Object.assign(new TEST_ERR_UPSTREAM(c.provider, 'error event in stream', 'overloaded'), c.errorDetails(true))
      expect(textOf(await collect(call({ readStream: failingFirst(retryable) })))).toBe('ok')
      expect(server.requests).toHaveLength(2)

      const fatal = (c: ModelCallContext) => Object.assign(new TEST_ERR_UPSTREAM(c.provider, 'stream', 'malformed event data'), c.errorDetails(false))
      const { error } = await failure(call({ readStream: failingFirst(fatal) }))
      expect(error).toMatchObject({ code: 'TEST_ERR_UPSTREAM', provider: 'test', upstreamStatus: undefined, retryAfterMs: undefined, retryable: false })
      expect((error as Error).message).toContain('malformed event data')
      expect(server.requests).toHaveLength(3)
    })

    it('should turn any other error into a retryable upstream error, secrets masked', async () => {
      const { error } = await failure(call({ maxRetries: 0, readStream: failingFirst(() => new Error(`socket hang up with ${API_KEY}`)) }))
      expect(error).toMatchObject({ code: 'TEST_ERR_UPSTREAM', upstreamStatus: undefined, retryable: true })
      expect((error as Error).message).toContain('stream interrupted')
      expect((error as Error).message).toContain('socket hang up')
      expect((error as Error).message).not.toContain(API_KEY)
    })
  })

  describe('errors', () => {
    it('should throw the auth error on 401 without retrying, and never leak a secret', async () => {
      const header = 'proxy-secret-0123456789'
      server.fail({ status: 401, body: { error: { message: `Incorrect API key provided: ${API_KEY} (proxy ${header})`, type: 'invalid_request_error' } } })
      const { error } = await failure(call({ secrets: [API_KEY, header, undefined] }))
      expect(error).toMatchObject({ code: 'TEST_ERR_AUTH', statusCode: 502, upstreamStatus: 401, retryable: false })
      expect((error as Error).message).toContain('Incorrect API key provided')
      expect((error as Error).message).not.toContain(API_KEY)
      expect((error as Error).message).not.toContain(header)
      expect(JSON.stringify(error)).not.toContain(API_KEY)
      expect(server.requests).toHaveLength(1)
    })

    it('should throw the auth error on 403', async () => {
      server.fail({ status: 403 })
      await expect(collect(call())).rejects.toMatchObject({ code: 'TEST_ERR_AUTH', upstreamStatus: 403 })
    })

    it('should throw the bad-request error with the upstream message on another 4xx, without retrying', async () => {
      server.fail({ status: 404, body: { error: { message: 'The model `gpt-nope` does not exist' } } })
      const { error } = await failure(call())
      expect(error).toMatchObject({ code: 'TEST_ERR_BAD_REQUEST', upstreamStatus: 404 })
      expect((error as Error).message).toContain('The model `gpt-nope` does not exist')
      expect(server.requests).toHaveLength(1)
    })

    it('should read the message of an Anthropic error body', async () => {
      server.fail({ status: 404, body: { type: 'error', error: { type: 'not_found_error', message: 'model: claude-nope' } } })
      const { error } = await failure(call())
      expect(error).toMatchObject({ code: 'TEST_ERR_BAD_REQUEST', upstreamStatus: 404 })
      expect((error as Error).message).toContain('model: claude-nope')
    })

    it('should throw the unreachable error when nothing listens, after retrying', async () => {
      const down = await createScriptedModelServer()
      await down.close()
      const { error } = await failure(call({ url: `${down.baseUrl}/chat/completions`, maxRetries: 2 }))
      expect(error).toMatchObject({ code: 'TEST_ERR_UNREACHABLE', statusCode: 503, upstreamStatus: undefined, retryable: true })
      expect((error as Error).message).toContain('ECONNREFUSED')
      expect((error as Error).message).toContain(new URL(down.url).origin)
    })

    it('should time out an attempt after timeoutMs without data', async () => {
      server.hang()
      const { error, ms } = await failure(call({ timeoutMs: 50, maxRetries: 0 }))
      expect(error).toMatchObject({ code: 'TEST_ERR_TIMEOUT', statusCode: 504 })
      expect(ms).toBeLessThan(1000)
      await expect.poll(() => server.inFlight).toBe(0)
    })

    it('should retry an attempt that timed out before any output', async () => {
      server.hang().reply({ text: 'second try' })
      const events = await collect(call({ timeoutMs: 50 }))
      expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' })
      expect(server.requests).toHaveLength(2)
    })
  })

  describe('abort and deadline', () => {
    it('should stop at once when the signal aborts while waiting for the provider', async () => {
      server.hang()
      const controller = new AbortController()
      const reason = new Error('run aborted')
      const pending = failure(call({}, { signal: controller.signal }))
      await expect.poll(() => server.inFlight).toBe(1)
      const aborted = Date.now()
      controller.abort(reason)
      const { error } = await pending
      expect(error).toBe(reason)
      expect(Date.now() - aborted).toBeLessThan(200)
      await expect.poll(() => server.inFlight).toBe(0)
      expect(server.requests).toHaveLength(1)
    })

    it('should stop mid-stream when the signal aborts', async () => {
      server.reply({ text: 'a long and slow answer with many words', chunkDelayMs: 30 })
      const controller = new AbortController()
      const seen: ModelStreamEvent[] = []
      const { error } = await failure(
        (async function* () {
          for await (const event of call({}, { signal: controller.signal })) {
            seen.push(event)
            controller.abort()
            yield event
          }
        })(),
      )
      expect(seen).toHaveLength(1)
      expect((error as Error).name).toBe('AbortError')
      await expect.poll(() => server.inFlight).toBe(0)
    })

    it('should stop at once when the signal aborts during a retry wait', async () => {
      server.fail({ status: 429, headers: { 'retry-after-ms': '10000' } })
      const controller = new AbortController()
      setTimeout(() => controller.abort(), 50)
      const { error, ms } = await failure(call({}, { signal: controller.signal }))
      expect((error as Error).name).toBe('AbortError')
      expect(ms).toBeLessThan(1000)
      expect(server.requests).toHaveLength(1)
    })

    it('should not start when the signal is already aborted', async () => {
      const controller = new AbortController()
      controller.abort()
      await expect(collect(call({}, { signal: controller.signal }))).rejects.toMatchObject({ name: 'AbortError' })
      expect(server.requests).toHaveLength(0)
    })

    it('should not retry past the deadline', async () => {
      server.fail({ status: 429, headers: { 'retry-after-ms': '500' } }).reply({ text: 'too late' })
      const { error, ms } = await failure(call({}, { deadline: Date.now() + 200 }))
      expect(error).toMatchObject({ code: 'TEST_ERR_RATE_LIMITED' })
      expect(ms).toBeLessThan(150)
      expect(server.requests).toHaveLength(1)
    })

    it('should give up with the timeout error when the deadline passes while waiting', async () => {
      server.hang()
      const { error, ms } = await failure(call({}, { deadline: Date.now() + 100 }))
      expect(error).toMatchObject({ code: 'TEST_ERR_TIMEOUT', retryable: false })
      expect(ms).toBeGreaterThanOrEqual(90)
      expect(ms).toBeLessThan(1000)
      await expect.poll(() => server.inFlight).toBe(0)
    })

    it('should fail at once when the deadline already passed', async () => {
      await expect(collect(call({}, { deadline: Date.now() - 1 }))).rejects.toMatchObject({ code: 'TEST_ERR_TIMEOUT' })
      expect(server.requests).toHaveLength(0)
    })
  })
})
