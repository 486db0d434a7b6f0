import { isLoopbackHost, resolveBindHost } from './bind-host.js'
import { HTTP_ERR_AUTH_REQUIRED, HTTP_ERR_PASSWORD_MISSING } from './errors.js'
import type { HttpServerConfig } from './http-server-config.js'

export const TOKEN_ENV = 'OPENCLAW_GATEWAY_TOKEN'
export const PASSWORD_ENV = 'OPENCLAW_GATEWAY_PASSWORD'

/** The variables the plugin reads (declared as its `env`): the core hands it only these, set and non-empty. */
export const CREDENTIAL_ENV = [TOKEN_ENV, PASSWORD_ENV] as const

/** The environment the gateway was created with, as the plugin sees it (`api.env`). */
export type CredentialEnv = Readonly<Record<string, string>>

/** The gateway credential the config and the environment give, before any token file is read. */
export type ConfiguredCredential =
  | { readonly mode: 'none' }
  | { readonly mode: 'password'; readonly password: string }
  /** `token` is undefined when neither the config nor the environment sets one: start() generates it. */
  | { readonly mode: 'token'; readonly token: string | undefined }

/**
 * The credential for `gateway.auth.mode`, refusing what the gateway must not start with: no auth on
 * a non-loopback bind (`HTTP_ERR_AUTH_REQUIRED`), password mode without a password
 * (`HTTP_ERR_PASSWORD_MISSING`). Reads no file and writes nothing, so the plugin's `checkConfig`
 * (which `openclaw config validate` runs) and `start` share it and cannot disagree.
 */
export function configuredCredential(config: Pick<HttpServerConfig, 'auth' | 'bind'>, env: CredentialEnv): ConfiguredCredential {
  const { auth, bind } = config
  if (auth.mode === 'none') {
    if (!isLoopbackHost(resolveBindHost(bind))) throw new HTTP_ERR_AUTH_REQUIRED(bind)
    return { mode: 'none' }
  }
  if (auth.mode === 'password') {
    const password = auth.password ?? env[PASSWORD_ENV]
    if (password === undefined) throw new HTTP_ERR_PASSWORD_MISSING()
    return { mode: 'password', password }
  }
  return { mode: 'token', token: auth.token ?? env[TOKEN_ENV] }
}
