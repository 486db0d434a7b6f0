import { createServer } from 'node:net'

/** A port on 127.0.0.1 that was free a moment ago (for a server that must be told its port). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}
