import { z } from 'zod'

const NonBlank = z.string().refine((s) => s.trim() !== '', 'must not be empty')

export const WakeModeSchema = z.enum(['now', 'next-heartbeat'])

/** `POST <hooks.path>/wake`. Unknown fields are ignored (webhook senders add their own). */
export const WakeRequestSchema = z.object({
  text: NonBlank,
  mode: WakeModeSchema.default('now'),
  agentId: z.string().min(1).optional(),
  sessionKey: z.string().min(1).optional(),
})
export type WakeRequest = z.output<typeof WakeRequestSchema>

/** `POST <hooks.path>/agent`. Unknown fields are ignored (webhook senders add their own). */
export const AgentHookRequestSchema = z.object({
  message: NonBlank,
  /** Who is calling (`gmail`, `github`…): shown to the agent as the source of the content. */
  name: z.string().min(1).max(100).optional(),
  agentId: z.string().min(1).optional(),
  sessionKey: z.string().min(1).optional(),
  /** A repeat with the same key returns the first run's id and never starts a second run. */
  idempotencyKey: z.string().min(1).max(256).optional(),
  /** Accepted for OpenClaw compatibility; there is no heartbeat yet, so it changes nothing. */
  wakeMode: WakeModeSchema.optional(),
  /** Deliver the reply to `channel`/`to`; off by default. */
  deliver: z.boolean().optional(),
  channel: z.string().min(1).optional(),
  to: z.string().min(1).optional(),
  accountId: z.string().min(1).optional(),
  /** `provider/model`. */
  model: z.string().regex(/^[^/\s]+\/\S+$/, 'expected "provider/model"').optional(),
  thinking: z.enum(['off', 'minimal', 'low', 'medium', 'high']).optional(),
  timeoutSeconds: z.number().positive().max(7 * 24 * 3600).optional(),
})
export type AgentHookRequest = z.output<typeof AgentHookRequestSchema>
