import { z } from 'zod'

export const DEFAULT_HOOKS_PATH = '/hooks'
export const DEFAULT_HOOKS_BODY_BYTES = 256 * 1024
export const DEFAULT_MAX_PENDING_WAKE_EVENTS = 20

/**
 * `hooks` in the config file. The section is shared (`hooks.internal` belongs to file-based internal
 * hooks; `mappings`, `presets` and `gmail` are not supported yet), so it stays open.
 */
export const HttpHooksConfigSchema = z.looseObject({
  /** Off by default: no route is registered at all. */
  enabled: z.boolean().default(false),
  /** Required when enabled; must differ from the gateway token and password. Header only. */
  token: z.string().min(1).optional(),
  /** Base path of the webhook routes; `/` is refused. */
  path: z
    .string()
    .regex(/^\/[A-Za-z0-9._~\-/]*$/, 'must start with "/" and contain only letters, digits and "._~-/"')
    .refine((path) => path.replace(/\/+$/, '') !== '', '"/" is not allowed: pick a sub-path such as /hooks')
    .default(DEFAULT_HOOKS_PATH),
  /** Let callers of `/agent` and `/wake` choose the session with `sessionKey`. */
  allowRequestSessionKey: z.boolean().default(false),
  /** When set, a requested session key must start with one of these (e.g. `hook:`). */
  allowedSessionKeyPrefixes: z.array(z.string().min(1)).optional(),
  /** When set, only these agents may be targeted (`*` = all, `[]` = none). */
  allowedAgentIds: z.array(z.string().min(1)).optional(),
  /** Session for `/agent` calls that send none; default a fresh `hook:<uuid>` per call. */
  defaultSessionKey: z.string().min(1).optional(),
  maxBodyBytes: z.number().int().positive().default(DEFAULT_HOOKS_BODY_BYTES),
  /** `next-heartbeat` wake events kept per session; beyond it the oldest go (logged). */
  maxPendingWakeEvents: z.number().int().positive().default(DEFAULT_MAX_PENDING_WAKE_EVENTS),
})

export type HttpHooksConfig = z.output<typeof HttpHooksConfigSchema>
export type HttpHooksConfigInput = z.input<typeof HttpHooksConfigSchema>
