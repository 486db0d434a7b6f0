import { describe, expect, it } from 'vitest'
import { parseResetTrigger } from './reset-trigger.js'

const TRIGGERS = ['/new', '/reset']

describe('parseResetTrigger', () => {
  it('finds a bare trigger, in any case, with nothing after it', () => {
    expect(parseResetTrigger('/new', TRIGGERS)).toEqual({ trigger: '/new', rest: '' })
    expect(parseResetTrigger('/NEW', TRIGGERS)).toEqual({ trigger: '/new', rest: '' })
    expect(parseResetTrigger('/Reset  \n', TRIGGERS)).toEqual({ trigger: '/reset', rest: '' })
  })

  it('keeps the text after the trigger as the turn to run', () => {
    expect(parseResetTrigger('/reset what is 2+2', TRIGGERS)).toEqual({ trigger: '/reset', rest: 'what is 2+2' })
    expect(parseResetTrigger('/new\nline two', TRIGGERS)).toEqual({ trigger: '/new', rest: 'line two' })
  })

  it('ignores leading whitespace', () => {
    expect(parseResetTrigger('  /new hello', TRIGGERS)).toEqual({ trigger: '/new', rest: 'hello' })
    expect(parseResetTrigger('\t/new', TRIGGERS)).toEqual({ trigger: '/new', rest: '' })
  })

  it('matches whole words only, at the start only', () => {
    expect(parseResetTrigger('/newer', TRIGGERS)).toBeUndefined()
    expect(parseResetTrigger('/new-thing', TRIGGERS)).toBeUndefined()
    expect(parseResetTrigger('/resetting now', TRIGGERS)).toBeUndefined()
    expect(parseResetTrigger('please /new', TRIGGERS)).toBeUndefined()
    expect(parseResetTrigger('new', TRIGGERS)).toBeUndefined()
    expect(parseResetTrigger('', TRIGGERS)).toBeUndefined()
    expect(parseResetTrigger('   ', TRIGGERS)).toBeUndefined()
  })

  it('leaves a command addressed to a name alone (a channel strips its own bot’s name first)', () => {
    expect(parseResetTrigger('/new@otherbot', TRIGGERS)).toBeUndefined()
    expect(parseResetTrigger('/new@otherbot rest', TRIGGERS)).toBeUndefined()
    expect(parseResetTrigger('/new@', TRIGGERS)).toBeUndefined()
  })

  it('uses the configured triggers only', () => {
    expect(parseResetTrigger('/new', [])).toBeUndefined()
    expect(parseResetTrigger('!fresh start over', ['!fresh'])).toEqual({ trigger: '!fresh', rest: 'start over' })
    expect(parseResetTrigger('/new', ['!fresh'])).toBeUndefined()
  })
})
