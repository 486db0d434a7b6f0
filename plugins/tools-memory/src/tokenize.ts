/** Lowercase word tokens (letters and digits of any script, `_` kept inside identifiers). */
const WORD = /[\p{L}\p{N}][\p{L}\p{N}_]*/gu

export function tokenize(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? []
}

/** Rough token count for chunk sizing: OpenClaw's rule of about four characters per token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4)
}

/**
 * The text PostgreSQL's `to_tsvector('simple', …)` is given: the words tokenize() finds (as FTS5's
 * unicode61 and the query side split them), joined by spaces. Given the raw text, PostgreSQL's parser
 * would keep `bramble.local`, `a@b.com` or `/etc/hosts` as one token, and a query for `bramble` would
 * find it on SQLite and not on PostgreSQL.
 */
export function tsvectorText(text: string): string {
  return tokenize(text).join(' ')
}
