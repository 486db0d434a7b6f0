import type { GrammyError } from 'grammy'
import { describe, expect, it } from 'vitest'
import { useFakeTelegram } from './grammy-test-bots.js'

const { start, botFor } = useFakeTelegram()

const failure = (promise: Promise<unknown>) => promise.then(() => 'ok', (error: GrammyError) => [error.error_code, error.description])

describe('fake Telegram: the command menu (grammY client)', () => {
  it('keeps what setMyCommands set, per scope and language, records each call, and deleteMyCommands empties it', async () => {
    const tg = await start()
    const api = botFor(tg).api
    expect(await api.getMyCommands()).toEqual([])
    await api.setMyCommands([{ command: 'new', description: 'Start a new session' }, { command: 'reset', description: 'Reset the session' }])
    expect(tg.commands).toEqual([{ command: 'new', description: 'Start a new session' }, { command: 'reset', description: 'Reset the session' }])
    expect(await api.getMyCommands()).toEqual(tg.commands)
    await api.setMyCommands([{ command: 'hilfe', description: 'Hilfe' }], { language_code: 'de' })
    expect(await api.getMyCommands({ language_code: 'de' })).toEqual([{ command: 'hilfe', description: 'Hilfe' }])
    expect(tg.commands.map((c) => c.command)).toEqual(['new', 'reset'])
    expect(tg.callsOf('setMyCommands')).toHaveLength(2)
    expect(tg.callsOf('setMyCommands')[0]!.params).toMatchObject({ commands: [{ command: 'new' }, { command: 'reset' }] })
    await api.deleteMyCommands()
    expect(tg.commands).toEqual([])
  })

  it('refuses what Telegram refuses: bad names, empty descriptions, more than 100 commands', async () => {
    const tg = await start()
    const api = botFor(tg).api
    expect(await failure(api.setMyCommands([{ command: 'New', description: 'x' }]))).toEqual([400, 'Bad Request: BOT_COMMAND_INVALID'])
    expect(await failure(api.setMyCommands([{ command: '/new', description: 'x' }]))).toEqual([400, 'Bad Request: BOT_COMMAND_INVALID'])
    expect(await failure(api.setMyCommands([{ command: 'new', description: ' ' }]))).toEqual([400, 'Bad Request: BOT_COMMAND_DESCRIPTION_INVALID'])
    const many = Array.from({ length: 101 }, (_, i) => ({ command: `c${i}`, description: 'x' }))
    expect(await failure(api.setMyCommands(many))).toEqual([400, 'Bad Request: BOT_COMMANDS_TOO_MUCH'])
    expect(tg.commands).toEqual([])
  })
})
