import { describe, expect, it } from 'vitest'
import { commandMenu } from './command-menu.js'

describe('commandMenu', () => {
  it('lists the default triggers with short descriptions', () => {
    expect(commandMenu(['/new', '/reset'])).toEqual([
      { command: 'new', description: 'Start a new session' },
      { command: 'reset', description: 'Reset the current session' },
    ])
  })

  it('lowercases, drops duplicates and what Telegram cannot list, and describes other triggers generically', () => {
    expect(commandMenu(['/NEW', '/new', '!fresh', '/start-over', '/fresh', '/'])).toEqual([
      { command: 'new', description: 'Start a new session' },
      { command: 'fresh', description: 'Start the conversation over' },
    ])
    expect(commandMenu([])).toEqual([])
  })
})
