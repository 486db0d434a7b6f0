import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { describeParamsError } from './describe-params-error.js'

const Schema = z.strictObject({ message: z.string(), nested: z.strictObject({ n: z.number() }).optional() })

function describeFor(input: unknown): string {
  const result = Schema.safeParse(input)
  if (result.success) throw new Error('expected a failure')
  return describeParamsError(result.error)
}

describe('describeParamsError', () => {
  it('should name unknown fields, with their path', () => {
    expect(describeFor({ message: 'x', extra: 1 })).toBe("unknown field 'extra'")
    expect(describeFor({ message: 'x', nested: { n: 1, deep: true } })).toBe("unknown field 'nested.deep'")
  })

  it('should name mistyped and missing fields', () => {
    expect(describeFor({ message: 42 })).toMatch(/^'message': .*expected string/)
    expect(describeFor({})).toMatch(/^'message': /)
    expect(describeFor({ message: 'x', nested: { n: 'one' } })).toMatch(/^'nested\.n': /)
  })

  it('should call a non-object input (params)', () => {
    expect(describeFor('text')).toMatch(/^'\(params\)': /)
  })
})
