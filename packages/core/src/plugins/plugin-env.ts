/** An environment variable's name as a plugin may declare it in `env`. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/**
 * `api.env`: the variables a plugin declared in its definition's `env`, taken from the environment
 * the gateway was created with (`createGateway({ env })`), and no others. A variable that is unset
 * or empty is absent. Frozen, so a plugin cannot hand itself more.
 */
export function pluginEnv(env: NodeJS.ProcessEnv, names: readonly string[] | undefined): Readonly<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const name of names ?? []) {
    const value = env[name]
    if (value !== undefined && value !== '') out[name] = value
  }
  return Object.freeze(out)
}
