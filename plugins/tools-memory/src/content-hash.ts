import { createHash } from 'node:crypto'

/** SHA-256 of a text, hex: what incremental indexing compares to skip unchanged files and chunks. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
