import { describe, expect, it } from 'vitest'
import { channelSessionKey } from './channel-session-key.js'

describe('channelSessionKey', () => {
  const base = { agentId: 'main', channel: 'telegram' }

  it('gives a direct chat its own session per channel and peer by default', () => {
    expect(channelSessionKey({ ...base, chat: { id: '123', kind: 'direct' }, senderId: '123' })).toBe('agent:main:telegram:direct:123')
  })

  it('follows dmScope for direct chats', () => {
    const chat = { id: 'U1', kind: 'direct' } as const
    expect(channelSessionKey({ ...base, chat, dmScope: 'main' })).toBe('agent:main:main')
    expect(channelSessionKey({ ...base, chat, dmScope: 'per-peer' })).toBe('agent:main:direct:u1')
    expect(channelSessionKey({ ...base, chat, dmScope: 'per-account-channel-peer', accountId: 'Bot2' })).toBe('agent:main:telegram:bot2:direct:u1')
  })

  it('keys groups, rooms and topics like OpenClaw', () => {
    expect(channelSessionKey({ ...base, chat: { id: '-1001234567890', kind: 'group' } })).toBe('agent:main:telegram:group:-1001234567890')
    expect(channelSessionKey({ ...base, channel: 'discord', chat: { id: '123456', kind: 'channel' }, threadId: '987654' })).toBe(
      'agent:main:discord:channel:123456:thread:987654',
    )
    expect(channelSessionKey({ ...base, chat: { id: '-1001234567890', kind: 'topic', topicId: '42' } })).toBe('agent:main:telegram:group:-1001234567890:topic:42')
  })

  it('sends groups to the main session under groupScope main', () => {
    expect(channelSessionKey({ ...base, chat: { id: 'g', kind: 'group' }, groupScope: 'main' })).toBe('agent:main:main')
  })

  it('escapes separators and whitespace inside ids so a peer cannot forge another key', () => {
    const key = channelSessionKey({ ...base, agentId: 'ops', chat: { id: 'a:group:b c', kind: 'direct' } })
    expect(key).toBe('agent:ops:telegram:direct:a%3agroup%3ab%20c')
    expect(key.split(':')).toHaveLength(5)
  })
})
