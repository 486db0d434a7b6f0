/**
 * The taps one plugin makes while its `register()` runs, held back until it returns: committed (added
 * to the hooks in the order they were made) when it succeeded, dropped when it threw. So a failing
 * plugin leaves no tap behind, and no tapable internals (`taps`, `_resetCompilation`) are touched.
 * After `commit()` taps apply at once (a plugin tapping in `start`); after `drop()` they are ignored.
 */
export class TapBuffer {
  #pending: (() => void)[] | undefined = []
  #dropped = false

  add(apply: () => void): void {
    if (this.#dropped) return
    if (this.#pending) this.#pending.push(apply)
    else apply()
  }

  commit(): void {
    const pending = this.#pending ?? []
    this.#pending = undefined
    for (const apply of pending) apply()
  }

  drop(): void {
    this.#dropped = true
    this.#pending = undefined
  }
}
