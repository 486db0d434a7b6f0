import { describe, expect, it } from 'vitest'
import { createError, MAX_ECHOED_CHARS } from './create-error.js'

describe('createError', () => {
  it('should cut what a client error echoes, and leave server errors whole', () => {
    const Client = createError<'T_CLIENT', [value: string]>('T_CLIENT', "Model '%s' is not valid", 400)
    const Server = createError<'T_SERVER', [detail: string]>('T_SERVER', 'Broke: %s')
    const huge = 'm'.repeat(1_000_000)
    const message = new Client(huge).message
    expect(message.length).toBeLessThan(MAX_ECHOED_CHARS + 100)
    expect(message).toContain('(1000000 characters)')
    expect(new Server(huge).message).toHaveLength(1_000_000 + 'Broke: '.length)
  })
})
