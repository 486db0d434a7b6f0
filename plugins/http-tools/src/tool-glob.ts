/** A test for tool names against globs: `*` matches any run of characters, case-insensitively. */
export function createToolGlob(globs: readonly string[]): (name: string) => boolean {
  if (globs.length === 0) return () => false
  const patterns = globs.map((glob) => new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i'))
  return (name) => patterns.some((re) => re.test(name))
}
