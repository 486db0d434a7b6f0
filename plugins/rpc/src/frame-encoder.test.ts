import { describe, expect, it } from 'vitest'
import { FrameEncoder } from './frame-encoder.js'

describe('FrameEncoder', () => {
  it('should build res frames that are valid JSON around an already-serialized payload', () => {
    expect(JSON.parse(FrameEncoder.ok('a"1', '{"x":1}'))).toEqual({ type: 'res', id: 'a"1', ok: true, payload: { x: 1 } })
    expect(JSON.parse(FrameEncoder.ok(7, 'null'))).toEqual({ type: 'res', id: 7, ok: true, payload: null })
    expect(JSON.parse(FrameEncoder.error(null, { code: 'INVALID_REQUEST', message: 'bad' }))).toEqual({
      type: 'res', id: null, ok: false, error: { code: 'INVALID_REQUEST', message: 'bad' },
    })
  })

  it('should build event frames from a cached head, with the seq of each connection', () => {
    const head = FrameEncoder.eventHead('agent')
    const payload = JSON.stringify({ runId: 'r', data: { text: 'hé "quoted"' } })
    expect(JSON.parse(FrameEncoder.event(head, payload, 1))).toEqual({ type: 'event', event: 'agent', payload: JSON.parse(payload), seq: 1 })
    expect(JSON.parse(FrameEncoder.event(head, payload, 2)).seq).toBe(2)
  })
})
