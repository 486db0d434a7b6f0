import type { ServerResponse } from 'node:http'

/**
 * A signal that aborts when the client goes away before the response is complete: the socket closed
 * while the response was still unfinished. Passed to agent runs, so a gone client stops its run.
 */
export function clientDisconnectSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController()
  const onClose = () => {
    if (!res.writableFinished) controller.abort(new Error('the client closed the connection'))
  }
  if (res.destroyed || res.socket?.destroyed) onClose()
  else res.once('close', onClose)
  return controller.signal
}
