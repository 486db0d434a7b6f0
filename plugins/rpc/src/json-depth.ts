/** Deepest nesting of objects and arrays a frame may have: the HTTP server's limit for JSON bodies. */
export const MAX_FRAME_DEPTH = 64

/**
 * Whether a parsed JSON value nests objects/arrays deeper than `max`. Iterative, so a 10 000-deep
 * frame is measured, not a stack overflow; what handles the value later (schemas, tools,
 * JSON.stringify) recurses.
 */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!
    if (typeof item !== 'object' || item === null) continue
    if (depth + 1 > max) return true
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1])
    }
  }
  return false
}
