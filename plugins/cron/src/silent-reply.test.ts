import { describe, expect, it } from 'vitest'
import { deliverableText } from './silent-reply.js'

describe('deliverableText', () => {
  it('should drop NO_REPLY and HEARTBEAT_OK replies, and an ack at either end of a short reply', () => {
    for (const reply of ['NO_REPLY', ' HEARTBEAT_OK ', 'HEARTBEAT_OK all quiet', 'Nothing new. HEARTBEAT_OK', '']) expect(deliverableText(reply), reply).toBeUndefined()
  })

  it('should deliver a real reply, and a long one that merely starts with the ack', () => {
    expect(deliverableText('Your build failed.')).toBe('Your build failed.')
    const long = `HEARTBEAT_OK ${'x'.repeat(301)}`
    expect(deliverableText(long)).toBe(long)
    expect(deliverableText('a HEARTBEAT_OK in the middle')).toBe('a HEARTBEAT_OK in the middle')
  })
})
