import type { DeliveryOutcome } from '../plugins/plugin-api.js'

/**
 * Sends going on, by delivery key: a second send of a key joins the first instead of sending twice.
 * Single-process: {@link InMemoryDeliveryInFlight}. Several replicas need the outbox row claimed
 * with a lease (`FOR UPDATE SKIP LOCKED`) instead.
 */
export interface DeliveryInFlight {
  /** The send of `key` going on, if any. */
  get(key: string): Promise<DeliveryOutcome> | undefined
  /** Run `work` as the send of `key`; registered before `work` yields, so a second send joins it. */
  track(key: string, work: () => Promise<DeliveryOutcome>): Promise<DeliveryOutcome>
  /** Resolves once every send going on now has settled. */
  settled(): Promise<void>
}

/** The single-process {@link DeliveryInFlight}: a map of promises. */
export class InMemoryDeliveryInFlight implements DeliveryInFlight {
  readonly #sends = new Map<string, Promise<DeliveryOutcome>>()

  get(key: string): Promise<DeliveryOutcome> | undefined {
    return this.#sends.get(key)
  }

  track(key: string, work: () => Promise<DeliveryOutcome>): Promise<DeliveryOutcome> {
    const promise: Promise<DeliveryOutcome> = work().finally(() => {
      if (this.#sends.get(key) === promise) this.#sends.delete(key)
    })
    this.#sends.set(key, promise)
    return promise
  }

  async settled(): Promise<void> {
    await Promise.allSettled([...this.#sends.values()])
  }
}
