import { z } from 'zod'

export { PROTOCOL_VERSION } from './protocol.js'

/** Client modes the protocol knows. */
const CLIENT_MODES = ['webchat', 'cli', 'ui', 'backend', 'node', 'worker', 'probe', 'test'] as const

/**
 * `connect` params (protocol v4). Fields OpenClaw clients send that this gateway does not act on yet
 * (`device`, `commands`, `permissions`, `locale`, `userAgent`) are accepted so those clients connect;
 * anything else is refused by name. `client.id` is any short string (OpenClaw's own gateway takes a
 * closed list; every id on that list is accepted here).
 */
export const ConnectParamsSchema = z.strictObject({
  minProtocol: z.number().int().min(1),
  maxProtocol: z.number().int().min(1),
  client: z.strictObject({
    id: z.string().min(1).max(128),
    version: z.string().min(1).max(128),
    platform: z.string().max(128).optional(),
    mode: z.enum(CLIENT_MODES),
    displayName: z.string().max(256).optional(),
    deviceFamily: z.string().max(128).optional(),
    modelIdentifier: z.string().max(128).optional(),
    instanceId: z.string().max(256).optional(),
  }),
  role: z.enum(['operator', 'node']).optional(),
  scopes: z.array(z.string().max(128)).max(64).optional(),
  caps: z.array(z.string().max(128)).max(64).optional(),
  commands: z.array(z.string().max(256)).max(256).optional(),
  permissions: z.record(z.string(), z.unknown()).optional(),
  auth: z
    .strictObject({
      token: z.string().max(4096).optional(),
      password: z.string().max(4096).optional(),
      deviceToken: z.string().max(4096).optional(),
      bootstrapToken: z.string().max(4096).optional(),
    })
    .optional(),
  locale: z.string().max(64).optional(),
  userAgent: z.string().max(512).optional(),
  device: z
    .strictObject({
      id: z.string().max(256),
      publicKey: z.string().max(4096),
      signature: z.string().max(4096),
      signedAt: z.number(),
      nonce: z.string().max(256),
    })
    .optional(),
})

export type ConnectParams = z.output<typeof ConnectParamsSchema>
