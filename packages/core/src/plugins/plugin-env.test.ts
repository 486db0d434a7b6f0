import { describe, expect, it } from 'vitest'
import { pluginEnv } from './plugin-env.js'

describe('pluginEnv', () => {
  it('hands a plugin only the variables it declared', () => {
    const env = pluginEnv({ TELEGRAM_BOT_TOKEN: '1:a', OPENCLAW_GATEWAY_TOKEN: 'secret', HOME: '/root' }, ['TELEGRAM_BOT_TOKEN'])
    expect(env).toEqual({ TELEGRAM_BOT_TOKEN: '1:a' })
    expect(Object.isFrozen(env)).toBe(true)
  })

  it('leaves out unset and empty variables', () => {
    expect(pluginEnv({ A: '' }, ['A', 'B'])).toEqual({})
    expect(pluginEnv({ A: 'x' }, undefined)).toEqual({})
  })
})
