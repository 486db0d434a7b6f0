import type { Outbox } from '../delivery/outbox.js'
import { splitText } from '../delivery/split-text.js'
import type { Logger } from '../logging/logger.js'
import type { AgentEvent, AgentRunResult } from '../types/agent.js'
import { DEFAULT_TEXT_CAPABILITY, type ChannelDefinition } from '../types/channels.js'

interface Target {
  readonly channel: string
  readonly to: string
  readonly accountId: string
  readonly threadId?: string
}

/** The status draft's headline in `progress` mode, and how many of the latest tool names it lists. */
export const PROGRESS_LABEL = 'Working…'
const PROGRESS_TOOLS = 5

/**
 * One reply to a channel event. Where the channel can edit and streaming is on, the text is shown
 * while the model writes it: a draft message (outbox key `<key>:draft`) edited at most every
 * `throttleMs`, then one final edit (and the rest of a long reply as further messages). Elsewhere the
 * finished reply goes to the outbox in chunks. Keys derive from the inbox row, so a redo after a
 * crash edits the same draft and never sends a chunk twice.
 *
 * `progress` (a channel that can edit and delete): the draft is a status, `Working…` and the names of
 * the tools as they start, never the answer. It appears at the first tool call, or once the answer has
 * been coming for `throttleMs` (a quick answer shows no status), and is deleted when the run ends; the
 * answer goes out as a normal message.
 */
export class ReplyStream {
  #text = ''
  #draftId: string | undefined
  #draftSending: Promise<void> | undefined
  #shown = ''
  #timer: NodeJS.Timeout | undefined
  #lastEdit = 0
  #following: Promise<void> | undefined
  #done = false
  /** `progress`: the tools started so far, and the status source the draft shows. */
  #tools: string[] = []
  #status = ''
  readonly #streams: boolean
  readonly #mode: 'off' | 'partial' | 'block' | 'progress'
  /** `replyToId` of the reply's first message, and of every later one (`replyToMode: all`). */
  readonly #replyFirst: string | undefined
  readonly #replyAll: string | undefined

  constructor(
    private readonly outbox: Outbox,
    private readonly channel: ChannelDefinition,
    private readonly target: Target,
    private readonly key: string,
    private readonly sessionKey: string,
    private readonly streaming: { readonly enabled: boolean; readonly throttleMs: number },
    private readonly log: Logger,
    /** The message this reply answers (the event's `messageId`), quoted per the channel's `replyToMode`. */
    inReplyTo?: string,
  ) {
    const replyMode = inReplyTo ? (channel.replyToMode?.(target.accountId) ?? 'off') : 'off'
    this.#replyFirst = replyMode === 'off' ? undefined : inReplyTo
    this.#replyAll = replyMode === 'all' ? inReplyTo : undefined
    this.#mode = channel.streaming?.(target.accountId) ?? 'partial'
    const edits = channel.capabilities?.edit === true && typeof channel.edit === 'function'
    const deletes = channel.capabilities?.delete === true && typeof channel.delete === 'function'
    this.#streams = streaming.enabled && this.#mode !== 'off' && edits && (this.#mode !== 'progress' || deletes)
  }

  get #limit() {
    return this.channel.capabilities?.text ?? DEFAULT_TEXT_CAPABILITY
  }

  follow(events: AsyncIterable<AgentEvent>): void {
    if (!this.#streams) return
    this.#following = (async () => {
      for await (const event of events) {
        if (this.#done) break
        if (this.#mode === 'progress') {
          if (event.type === 'tool' && event.phase === 'start') {
            this.#tools.push(event.call.name)
            this.#schedule()
          } else if (event.type === 'text' && this.#text === '') {
            this.#text = event.delta
            // Answer activity shows the status only if the run is still going a throttle later.
            if (this.#draftId === undefined && this.#lastEdit === 0) this.#lastEdit = Date.now()
            this.#schedule()
          }
          continue
        }
        if (event.type !== 'text') continue
        this.#text += event.delta
        this.#schedule()
      }
    })().catch((err: unknown) => this.log.warn({ err }, 'following a run for streaming failed'))
  }

  #schedule(): void {
    if (this.#timer || this.#done) return
    const wait = Math.max(0, this.#lastEdit + this.streaming.throttleMs - Date.now())
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      void this.#flush()
    }, wait)
  }

  async #flush(): Promise<void> {
    if (this.#done || this.#draftSending) return
    if (this.#mode === 'progress') return this.#flushStatus()
    // `block`: only whole paragraphs are shown while the model writes.
    const source = this.#mode === 'block' ? this.#text.slice(0, Math.max(0, this.#text.lastIndexOf('\n\n'))) : this.#text
    const chunks = splitText(source, this.#limit)
    const text = chunks[0] ?? ''
    if (text === '' || text === this.#shown) return
    if (this.#draftId === undefined) {
      // The outbox renders what it sends: the draft goes as markdown (rendered once, there), so only
      // while it fits one message; a reply longer than that before its first draft is sent whole.
      if (chunks.length > 1) return
      this.#lastEdit = Date.now()
      this.#draftSending = this.#sendDraft(source, text).finally(() => (this.#draftSending = undefined))
      await this.#draftSending
      return
    }
    this.#lastEdit = Date.now()
    await this.#edit(text).catch((err: unknown) => this.log.debug({ err: (err as Error).message }, 'draft edit failed'))
  }

  /** `progress`: the status draft, sent (as markdown, which the outbox renders) or edited (rendered here). */
  async #flushStatus(): Promise<void> {
    const source = this.#statusSource()
    if (source === this.#status) return
    this.#lastEdit = Date.now()
    if (this.#draftId === undefined) {
      this.#draftSending = this.#sendDraft(source, source).finally(() => (this.#draftSending = undefined))
      await this.#draftSending
      if (this.#draftId !== undefined) this.#status = source
    } else {
      await this.#edit(splitText(source, this.#limit)[0] ?? source).then(
        () => void (this.#status = source),
        (err: unknown) => this.log.debug({ err: (err as Error).message }, 'status draft edit failed'),
      )
    }
    // Tools that started while this was on its way.
    if (!this.#done && this.#status !== '' && this.#statusSource() !== this.#status) this.#schedule()
  }

  #statusSource(): string {
    return [PROGRESS_LABEL, ...this.#tools.slice(-PROGRESS_TOOLS).map((name) => `• ${name}`)].join('\n')
  }

  /** `progress`: the run ended, the status goes; a failed delete is logged, never fatal. */
  async #deleteDraft(): Promise<void> {
    try {
      await this.channel.delete!({ to: this.target.to, accountId: this.target.accountId, messageId: this.#draftId! }, { attempt: 1, signal: AbortSignal.timeout(30_000), log: this.log })
    } catch (err) {
      this.log.warn({ err: (err as Error).message, code: (err as { code?: string }).code }, 'deleting the status draft failed; it stays in the chat')
    }
  }

  /** Send the draft: `markdown` through the outbox (which renders it), shown as `rendered`. */
  async #sendDraft(markdown: string, rendered: string): Promise<void> {
    const outcome = await this.outbox.send({ ...this.target, text: markdown, sessionKey: this.sessionKey, deliveryKey: `${this.key}:draft`, ...(this.#replyFirst ? { replyToId: this.#replyFirst } : {}) }, 10_000)
    if (outcome.receipt) {
      this.#draftId = outcome.receipt.messageId
      this.#shown = rendered
    }
  }

  async #edit(text: string): Promise<void> {
    await this.channel.edit!({ to: this.target.to, accountId: this.target.accountId, messageId: this.#draftId!, text }, { attempt: 1, signal: AbortSignal.timeout(30_000), log: this.log })
    this.#shown = text
  }

  /** The run ended: settle the reply (final edit, or chunks through the outbox). */
  async finish(result: AgentRunResult): Promise<void> {
    this.#done = true
    if (this.#timer) clearTimeout(this.#timer)
    await this.#draftSending
    const text = result.status === 'ok' ? result.text : `⚠️ The agent could not answer (${result.error?.code}): ${result.error?.message}`
    if (this.#streams && this.#draftId === undefined) {
      // A redo after a crash: the draft may have been sent before.
      const earlier = await this.outbox.outcome(`${this.key}:draft`)
      if (earlier?.receipt) this.#draftId = earlier.receipt.messageId
    }
    if (this.#mode === 'progress') {
      // The answer first (durable), then the status goes: a redo after a crash finds both done or due.
      if (text.trim() !== '') await this.outbox.enqueue({ ...this.target, text, sessionKey: this.sessionKey, deliveryKey: this.key, ...(this.#replyFirst ? { replyToId: this.#replyFirst } : {}) })
      if (this.#streams && this.#draftId !== undefined && this.#draftId !== '') await this.#deleteDraft()
      return
    }
    if (text.trim() === '') return
    if (this.#draftId === undefined) {
      await this.outbox.enqueue({ ...this.target, text, sessionKey: this.sessionKey, deliveryKey: this.key, ...(this.#replyFirst ? { replyToId: this.#replyFirst } : {}) })
      return
    }
    const chunks = splitText(text, this.#limit)
    try {
      if (chunks[0] !== this.#shown) await this.#edit(chunks[0] ?? '')
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'final draft edit failed; sending the reply as new messages')
      await this.outbox.enqueue({ ...this.target, text, sessionKey: this.sessionKey, deliveryKey: this.key })
      return
    }
    for (let i = 1; i < chunks.length; i++) {
      await this.outbox.enqueue({ ...this.target, text: chunks[i]!, sessionKey: this.sessionKey, deliveryKey: `${this.key}#${i + 1}`, ...(this.#replyAll ? { replyToId: this.#replyAll } : {}) }, { preformatted: true })
    }
    void this.#following
  }
}
