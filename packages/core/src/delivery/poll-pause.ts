/**
 * A worker's pause between polls for due rows, cut short when new work arrives. `wake()` while the
 * worker is not pausing does nothing: it is about to look for work anyway.
 */
export class PollPause {
  #wake: (() => void) | undefined

  /** Resolve after `ms`, or at the next `wake()`. */
  async wait(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        resolve()
      }
      this.#wake = done
    })
    this.#wake = undefined
  }

  wake(): void {
    this.#wake?.()
  }
}
