import { describe, expect, it } from 'vitest'
import { htmlToPlain, inlineKeyboard } from './telegram-channel.js'

describe('telegram channel helpers', () => {
  it('turns button rows into an inline keyboard: data as callback_data (64 bytes at most), url as a link', () => {
    expect(inlineKeyboard([[{ text: 'Yes', data: 'y' }, { text: 'Docs', url: 'https://x.example' }], [{ text: 'Long', data: 'x'.repeat(100) }]])).toEqual({
      inline_keyboard: [[{ text: 'Yes', callback_data: 'y' }, { text: 'Docs', url: 'https://x.example' }], [{ text: 'Long', callback_data: 'x'.repeat(64) }]],
    })
    expect(inlineKeyboard(undefined)).toBeUndefined()
  })

  it('reads HTML as Telegram shows it, for a resend without parse_mode', () => {
    expect(htmlToPlain('<b>Hi</b> &lt;you&gt; &amp; <a href="https://x">me</a>')).toBe('Hi <you> & me')
  })
})
