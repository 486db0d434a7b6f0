import { CORE_ERR_REGISTRY_DUPLICATE } from '../errors/codes.js'

/** An entry with the plugin that registered it. */
export interface Owned<T> {
  readonly owner: string
  readonly value: T
}

/**
 * A keyed collection the plugin API writes into. Each entry remembers its owner; a second entry with
 * the same key is a coded error naming both plugins.
 */
export class Registry<T> {
  readonly #entries = new Map<string, Owned<T>>()

  constructor(readonly kind: string) {}

  add(owner: string, key: string, value: T): void {
    const existing = this.#entries.get(key)
    if (existing) throw new CORE_ERR_REGISTRY_DUPLICATE(this.kind, key, owner, existing.owner)
    this.#entries.set(key, { owner, value })
  }

  get(key: string): T | undefined {
    return this.#entries.get(key)?.value
  }

  owner(key: string): string | undefined {
    return this.#entries.get(key)?.owner
  }

  has(key: string): boolean {
    return this.#entries.has(key)
  }

  /** Remove every entry a plugin added (when its register() fails half-way). */
  removeOwner(owner: string): void {
    for (const [key, entry] of this.#entries) if (entry.owner === owner) this.#entries.delete(key)
  }

  keys(): string[] {
    return [...this.#entries.keys()]
  }

  values(): T[] {
    return [...this.#entries.values()].map((e) => e.value)
  }

  entries(): [string, Owned<T>][] {
    return [...this.#entries.entries()]
  }

  get size(): number {
    return this.#entries.size
  }
}
