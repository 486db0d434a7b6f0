/** Read a dot path (`channels.telegram`) from a plain object; `undefined` when any step is missing. */
export function getAtPath(root: unknown, path: string): unknown {
  let current = root
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined
    current = (current as Record<string, unknown>)[key]
  }
  return current
}
