/** A typed service token: a unique symbol that remembers the type of what it resolves to. */
export type Token<T> = symbol & { readonly __service?: T }

const hints = new Map<symbol, string>()

/**
 * Make a service token. `providedBy` names the plugin that registers it, so that resolving it when
 * that plugin is missing fails with a message that says which plugin to install. A `shared` token is
 * the same symbol in every copy of the package that creates it (use a namespaced description).
 */
export function createToken<T>(description: string, options: { providedBy?: string; shared?: boolean } = {}): Token<T> {
  // A shared token is a registered symbol: two copies of a package (a plugin installed with its own
  // copy of the SDK, or a bundled binary) still agree on it.
  const token = (options.shared ? Symbol.for(description) : Symbol(description)) as Token<T>
  if (options.providedBy) hints.set(token, options.providedBy)
  return token
}

/** The plugin that provides a token, if its creator said so. */
export function tokenProvider(token: symbol): string | undefined {
  return hints.get(token)
}
