/**
 * Turns of one session run one at a time, in arrival order; turns of different sessions run
 * concurrently. Single-process: {@link SessionQueue} (in memory). Several replicas need a
 * per-session lock or lease in the database instead.
 */
export interface TurnQueue {
  /** Run `task` when the session's earlier turns are done. Throws or rejects `CORE_ERR_SESSION_BUSY` when too many wait. */
  run<T>(sessionKey: string, task: () => Promise<T>): Promise<T>
  /** Turns running or waiting for a session (on this replica). */
  depth(sessionKey: string): number
}
