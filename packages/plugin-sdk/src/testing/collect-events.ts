/** Every value an async iterable yields (a provider's `stream()`, a run's events), in order. */
export async function collectEvents<T>(events: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const event of events) out.push(event)
  return out
}

/** The error an async iterable fails with, and how long that took (ms); throws when it does not fail. */
export async function failureOf(events: AsyncIterable<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now()
  try {
    await collectEvents(events)
  } catch (error) {
    return { error, ms: Date.now() - started }
  }
  throw new Error('expected the iterable to fail')
}
