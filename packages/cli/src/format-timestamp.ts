/** Epoch milliseconds as UTC, to the second: `2026-08-24T07:40:12Z`; `?` when it is not a number. */
export function formatTimestamp(ms: unknown): string {
  return typeof ms === 'number' && Number.isFinite(ms) ? `${new Date(ms).toISOString().slice(0, 19)}Z` : '?'
}
