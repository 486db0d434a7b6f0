/** Lowercase word tokens (letters and digits of any script, `_` kept inside identifiers). */
const WORD = /[\p{L}\p{N}][\p{L}\p{N}_]*/gu

export function tokenize(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? []
}

/** Rough token count for chunk sizing: OpenClaw's rule of about four characters per token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4)
}
