import { describe, expect, it } from 'vitest'
import type { ChannelEvent } from '../types/channel-events.js'
import { ChannelAccessSchema, type ChannelAccessConfigInput } from './channel-access-config.js'
import { decideAccess } from './channel-access.js'

const dm = (sender: string): ChannelEvent => ({ kind: 'message', id: 'e1', channel: 'webhook', chat: { id: sender, kind: 'direct' }, sender: { id: sender }, text: 'hi' })
const group = (chatId: string, sender: string, mentioned = false): ChannelEvent => ({
  kind: 'message', id: 'e2', channel: 'webhook', chat: { id: chatId, kind: 'group' }, sender: { id: sender }, text: 'hi', mentioned,
})
const decide = (event: ChannelEvent, config: ChannelAccessConfigInput, approved: string[] = []) =>
  decideAccess(event, ChannelAccessSchema.parse(config), (id) => approved.includes(id))

describe('decideAccess: direct chats', () => {
  it('asks an unknown sender to pair under the default policy', () => {
    expect(decide(dm('u1'), {})).toEqual({ action: 'pair' })
  })

  it('runs senders in allowFrom or approved by pairing', () => {
    expect(decide(dm('u1'), { allowFrom: ['u1'] })).toEqual({ action: 'run' })
    expect(decide(dm('u2'), {}, ['u2'])).toEqual({ action: 'run' })
  })

  it('admits only allowFrom under allowlist, ignoring pairing approvals', () => {
    expect(decide(dm('u2'), { dmPolicy: 'allowlist', allowFrom: ['u1'] }, ['u2']).action).toBe('drop')
    expect(decide(dm('U1'), { dmPolicy: 'allowlist', allowFrom: ['u1'] })).toEqual({ action: 'run' })
  })

  it('is public under open only with the "*" wildcard', () => {
    expect(decide(dm('anyone'), { dmPolicy: 'open', allowFrom: ['*'] })).toEqual({ action: 'run' })
    expect(decide(dm('anyone'), { dmPolicy: 'open', allowFrom: ['u1'] }, ['anyone']).action).toBe('drop')
  })

  it('drops every direct message when disabled', () => {
    expect(decide(dm('u1'), { dmPolicy: 'disabled', allowFrom: ['u1'] })).toMatchObject({ action: 'drop', reason: expect.stringContaining('disabled') })
  })
})

describe('decideAccess: groups', () => {
  it('blocks groups by default (allowlist without groups)', () => {
    expect(decide(group('g1', 'u1', true), { allowFrom: ['u1'] })).toMatchObject({ action: 'drop', reason: expect.stringContaining('not allowed') })
  })

  it('runs a listed group for an allowed sender who mentions the bot', () => {
    const config = { allowFrom: ['u1'], groups: { g1: { requireMention: true } } }
    expect(decide(group('g1', 'u1', true), config)).toEqual({ action: 'run' })
    expect(decide(group('g1', 'u1', false), config)).toMatchObject({ action: 'drop', reason: expect.stringContaining('mentioned') })
    expect(decide(group('g1', 'u2', true), config)).toMatchObject({ action: 'drop', reason: expect.stringContaining('groupAllowFrom') })
  })

  it('prefers groupAllowFrom over allowFrom and never counts DM pairing approvals', () => {
    const config = { allowFrom: ['u1'], groupAllowFrom: ['u2'], groups: { '*': { requireMention: false } } }
    expect(decide(group('g9', 'u2'), config)).toEqual({ action: 'run' })
    expect(decide(group('g9', 'u1'), config).action).toBe('drop')
    expect(decide(group('g9', 'u3'), { groups: { '*': { requireMention: false } } }, ['u3']).action).toBe('drop')
  })

  it('lets any member in a group whose own policy is open', () => {
    expect(decide(group('g1', 'stranger'), { groups: { g1: { groupPolicy: 'open', requireMention: false } } })).toEqual({ action: 'run' })
  })

  it('passes any group under open without a groups map, mention gating still on', () => {
    expect(decide(group('gx', 'u9', true), { groupPolicy: 'open' })).toEqual({ action: 'run' })
    expect(decide(group('gx', 'u9', false), { groupPolicy: 'open' }).action).toBe('drop')
  })

  it('drops everything from groups when disabled, and disabled group entries', () => {
    expect(decide(group('g1', 'u1', true), { groupPolicy: 'disabled', groups: { g1: {} } }).action).toBe('drop')
    expect(decide(group('g1', 'u1', true), { groupPolicy: 'open', groups: { g1: { enabled: false } } }).action).toBe('drop')
  })

  it('counts a button press as addressed to the bot', () => {
    const press: ChannelEvent = { kind: 'button', id: 'b', channel: 'webhook', chat: { id: 'g1', kind: 'group' }, sender: { id: 'u1' }, data: 'yes', callbackId: 'c1' }
    expect(decide(press, { allowFrom: ['u1'], groups: { g1: {} } })).toEqual({ action: 'run' })
  })
})

describe('decideAccess: forum topics', () => {
  const topic = (topicId: string, mentioned = false): ChannelEvent => ({
    kind: 'message', id: 'e3', channel: 'telegram', chat: { id: 'g1', kind: 'topic', topicId }, sender: { id: 'u1' }, text: 'hi', mentioned,
  })
  const config: ChannelAccessConfigInput = {
    allowFrom: ['u1'],
    groups: { g1: { requireMention: true, topics: { '7': { requireMention: false }, '9': { enabled: false }, '*': { allowFrom: ['u2'] } } } },
  }

  it("lets an exact topic entry override its group's requireMention", () => {
    expect(decide(topic('7'), config)).toEqual({ action: 'run' })
  })

  it('drops a disabled topic and applies the "*" topic entry to other topics', () => {
    expect(decide(topic('9', true), config).action).toBe('drop')
    expect(decide(topic('3', true), config)).toMatchObject({ action: 'drop', reason: expect.stringContaining('groupAllowFrom') })
  })
})
