/** The error's code, when it has a string one (coded OpenClaw errors, Node system errors). */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null | undefined)?.code
  return typeof code === 'string' ? code : undefined
}

function stackOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  let text = err.stack ?? `${err.name}: ${err.message}`
  let cause: unknown = err.cause
  for (let depth = 0; cause !== undefined && depth < 5; depth++) {
    text += `\ncaused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : JSON.stringify(cause)}`
    cause = cause instanceof Error ? cause.cause : undefined
  }
  return text
}

/**
 * `error [CODE]: message`, the way every command reports a failure. The stack (and its causes)
 * follows only when `debug` is set (`OPENCLAW_DEBUG=1`).
 */
export function formatError(err: unknown, options: { debug?: boolean } = {}): string {
  const code = errorCode(err)
  const message = err instanceof Error ? err.message : String(err)
  const line = code ? `error [${code}]: ${message}` : `error: ${message}`
  return options.debug ? `${line}\n${stackOf(err)}\n` : `${line}\n`
}
