import type { Socket } from 'node:net'
import { errorBody } from './error-body.js'
import { HTTP_ERR_HEADERS_TOO_LARGE, HTTP_ERR_MALFORMED_REQUEST, HTTP_ERR_REQUEST_TIMEOUT } from './errors.js'

/** How long a refused connection may stay half-open after the answer before it is destroyed. */
export const CLIENT_ERROR_LINGER_MS = 1000

const REASONS: Readonly<Record<number, string>> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' }

/**
 * Answer what Node's HTTP parser refuses before any route sees it (a malformed request line, a bad
 * Content-Length, headers over the limit, a request that does not arrive in time) the way the
 * server answers everything else: its error body and the security headers. The connection closes:
 * it is destroyed once the answer is flushed, or after {@link CLIENT_ERROR_LINGER_MS} at most, so a
 * client that never reads nor closes (thousands of silent sockets) holds no descriptor.
 */
export function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || !socket.writable) {
    socket.destroy()
    return
  }
  const error =
    err.code === 'HPE_HEADER_OVERFLOW' ? new HTTP_ERR_HEADERS_TOO_LARGE()
    : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? new HTTP_ERR_REQUEST_TIMEOUT()
    : new HTTP_ERR_MALFORMED_REQUEST()
  const status = error.statusCode ?? 400
  const body = JSON.stringify(errorBody(undefined, { statusCode: status, code: error.code, message: error.message }))
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Bad Request'}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n\r\n' +
      body,
  )
  // `end()` only half-closes: Node keeps the socket (and its descriptor) until the client closes too.
  const linger = setTimeout(() => socket.destroy(), CLIENT_ERROR_LINGER_MS)
  linger.unref()
  socket.once('close', () => clearTimeout(linger))
  socket.once('finish', () => socket.destroy())
}
