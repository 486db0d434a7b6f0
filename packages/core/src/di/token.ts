/** A typed service token: a unique symbol that remembers the type of what it resolves to. */
export type Token<T> = symbol & { readonly __service?: T }

const hints = new Map<symbol, string>()

/**
 * Make a service token. `providedBy` names the plugin that registers it, so that resolving it when
 * that plugin is missing fails with a message that says which plugin to install.
 */
export function createToken<T>(description: string, options: { providedBy?: string } = {}): Token<T> {
  const token = Symbol(description) as Token<T>
  if (options.providedBy) hints.set(token, options.providedBy)
  return token
}

/** The plugin that provides a token, if its creator said so. */
export function tokenProvider(token: symbol): string | undefined {
  return hints.get(token)
}
