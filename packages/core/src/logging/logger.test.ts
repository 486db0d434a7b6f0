import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createLogger } from './logger.js'

function capture() {
  const lines: string[] = []
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString())
      done()
    },
  })
  return { lines, destination }
}

describe('logger', () => {
  it('redacts tokens, passwords and API keys at any depth', () => {
    const { lines, destination } = capture()
    const log = createLogger({ destination })
    log.info({ token: 'T1', config: { auth: { password: 'P1' }, apiKey: 'K1' }, headers: { authorization: 'Bearer T2' } }, 'hello')
    const text = lines.join('')
    for (const secret of ['T1', 'P1', 'K1', 'Bearer T2']) expect(text).not.toContain(secret)
    expect(text).toContain('[redacted]')
    expect(text).toContain('hello')
  })

  it('gives each plugin a child logger carrying its id', () => {
    const { lines, destination } = capture()
    createLogger({ destination }).child({ plugin: 'channel:telegram' }).warn('careful')
    expect(JSON.parse(lines[0]!)).toMatchObject({ plugin: 'channel:telegram', msg: 'careful', level: 40 })
  })
})
