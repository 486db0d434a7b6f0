/**
 * A gateway URL as the WebSocket client needs it: `ws://` or `wss://`, with `http://` and `https://`
 * turned into those (the gateway serves both on one port). `undefined` when `value` is not one.
 * Kept free of imports: `create-cli.ts` checks `--url` with it before any command loads.
 */
export function normalizeGatewayUrl(value: string): string | undefined {
  let url: URL
  try {
    url = new URL(value.trim())
  } catch {
    return undefined
  }
  if (url.protocol === 'http:') url.protocol = 'ws:'
  else if (url.protocol === 'https:') url.protocol = 'wss:'
  if ((url.protocol !== 'ws:' && url.protocol !== 'wss:') || url.hostname === '') return undefined
  // Credentials never go in a URL (shell history, process lists, logs); the gateway takes them only
  // in the connect frame, from --token / --password or the environment.
  if (url.username !== '' || url.password !== '' || url.search !== '') return undefined
  const text = url.toString()
  // `ws://host:port/` → `ws://host:port`: the gateway serves `/`, and people write it without the slash.
  return url.pathname === '/' && url.search === '' && url.hash === '' ? text.replace(/\/$/, '') : text
}

/** `value` for an error message: user, password and query replaced by `***` (they may be secrets). */
export function redactUrl(value: string): string {
  let url: URL
  try {
    url = new URL(value.trim())
  } catch {
    return value
  }
  if (url.username === '' && url.password === '' && url.search === '') return value
  if (url.username !== '') url.username = '***'
  if (url.password !== '') url.password = '***'
  if (url.search !== '') url.search = '?***'
  return url.toString()
}
