import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** The first bytes of a PNG, and some more: what a media URL in a test serves. */
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)])

/** A loopback server answering every path with {@link PNG} (404 for `/missing…`): media URLs that the delivery worker fetches. */
export async function startMediaServer(): Promise<{ readonly base: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/missing')) res.writeHead(404).end()
    else res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(PNG)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
