/**
 * One account's liveness as this replica sees it, for `status()`: when the transport last made
 * progress (a completed `getUpdates`, a webhook update) and its last error. Per replica, in memory:
 * a view of progress, never the truth of delivery.
 */
export class AccountState {
  /** Last completed getUpdates (or, when the poller took over, the moment it started); last webhook update. */
  lastProgressAt: number | undefined
  lastError: { message: string; at: number } | undefined
  /** This replica runs the account's poller now (the cluster singleton is here). */
  polling = false
  /** How long a poller may go without a completed getUpdates before the account is unhealthy. */
  staleAfterMs: number | undefined

  progressed(at: number): void {
    this.lastProgressAt = at
  }

  failed(message: string, at: number): void {
    this.lastError = { message: message.slice(0, 300), at }
  }
}
