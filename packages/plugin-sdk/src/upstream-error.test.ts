import { describe, expect, it } from 'vitest'
import { redact, upstreamMessage } from './upstream-error.js'

describe('upstreamMessage', () => {
  it('should read the error text of OpenAI, Anthropic and other error bodies', () => {
    expect(upstreamMessage(JSON.stringify({ error: { message: 'The model does not exist', type: 'invalid_request_error' } }))).toBe('The model does not exist')
    expect(upstreamMessage(JSON.stringify({ error: 'model not found' }))).toBe('model not found')
    expect(upstreamMessage(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: 'model: claude-nope' } }))).toBe('model: claude-nope')
    expect(upstreamMessage(JSON.stringify({ message: 'top-level' }))).toBe('top-level')
    expect(upstreamMessage(JSON.stringify({ detail: [{ msg: 'field required' }] }))).toBe('[{"msg":"field required"}]')
  })

  it('should fall back to the raw text, and to nothing for an empty body', () => {
    expect(upstreamMessage(' Bad Gateway \n')).toBe('Bad Gateway')
    expect(upstreamMessage(JSON.stringify({ unexpected: true }))).toBe('{"unexpected":true}')
    expect(upstreamMessage('  ')).toBeUndefined()
  })

  it('should cut a long message at 500 characters', () => {
    expect(upstreamMessage('x'.repeat(600))).toBe(`${'x'.repeat(500)}…`)
  })
})

describe('redact', () => {
  it('should mask the given secrets of 8 characters or more', () => {
    expect(redact('key abcdefgh12 and short', ['abcdefgh12', 'short', undefined])).toBe('key *** and short')
  })

  it('should mask anything shaped like an OpenAI or Anthropic key', () => {
    expect(redact('bad keys: sk-abcdefgh123, sk-proj-abcdefgh_12, sk-ant-api03-abcdefgh', [])).toBe('bad keys: sk-***, sk-proj-***, sk-ant-***')
  })
})
