import { describe, expect, expectTypeOf, it } from 'vitest'
import * as codes from './codes.js'
import { CoreErrorCodes, CoreErrors, isCoreErrorCode } from './core-error-codes.js'
import { createError } from './create-error.js'

describe('the core error codes as typed constants', () => {
  it('lists every code of the core, each class under its own code', () => {
    expect(Object.keys(CoreErrors).sort()).toEqual(Object.keys(codes).sort())
    for (const [key, ctor] of Object.entries(CoreErrors)) expect(ctor.code).toBe(key)
    expect(CoreErrorCodes.CORE_ERR_SESSION_BUSY).toBe('CORE_ERR_SESSION_BUSY')
    expectTypeOf(CoreErrors.CORE_ERR_SESSION_BUSY.code).toEqualTypeOf<'CORE_ERR_SESSION_BUSY'>()
    expect(Object.isFrozen(CoreErrors)).toBe(true)
    expect(isCoreErrorCode('CORE_ERR_TOOL_UNKNOWN')).toBe(true)
    expect(isCoreErrorCode('RPC_ERR_INTERNAL')).toBe(false)
  })
})

describe('createError details', () => {
  const Refused = createError<'TEST_ERR_REFUSED', [who: string], { attempt: number }>('TEST_ERR_REFUSED', "'%s' refused", 400)

  it('keeps typed details and the cause from the trailing options', () => {
    const cause = new Error('root')
    const err = new Refused('bob', { cause, details: { attempt: 2 } })
    expect(err.message).toBe("'bob' refused")
    expect(err.details).toEqual({ attempt: 2 })
    expect(err.cause).toBe(cause)
    expectTypeOf(err.details).toEqualTypeOf<{ attempt: number } | undefined>()
  })

  it('has no details when none are given', () => {
    const err = new Refused('bob')
    expect(err.details).toBeUndefined()
    expect('details' in err).toBe(false)
  })
})
