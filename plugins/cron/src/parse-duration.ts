const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

/**
 * Milliseconds of a duration as OpenClaw's CLI writes them: `500ms`, `30s`, `10m`, `1h`, `1d`, `2w`,
 * or combined (`1h30m`); a bare number is milliseconds. `undefined` when the text is not one.
 */
export function parseDuration(text: string): number | undefined {
  const value = text.trim().toLowerCase()
  if (/^\d+$/.test(value)) return Number(value)
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)]
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) return undefined
  return Math.round(parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNITS[unit!]!, 0))
}
