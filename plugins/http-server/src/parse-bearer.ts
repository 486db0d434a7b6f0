/**
 * The credential of an `Authorization: Bearer <credential>` header: the scheme is case-insensitive
 * and surrounding whitespace is trimmed. `undefined` when the header is missing, empty or another scheme.
 */
export function parseBearer(header: string | undefined): string | undefined {
  if (header === undefined) return undefined
  const value = header.trim()
  if (value.length < 8 || value.slice(0, 6).toLowerCase() !== 'bearer') return undefined
  const separator = value.charCodeAt(6)
  if (separator !== 0x20 && separator !== 0x09) return undefined
  const credential = value.slice(7).trim()
  return credential === '' ? undefined : credential
}
