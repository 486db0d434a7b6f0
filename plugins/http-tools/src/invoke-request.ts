import { z } from 'zod'

/** The body of `POST /tools/invoke`. `name` wins over `tool`; `action` is merged into `args`. */
export const InvokeRequestSchema = z
  .strictObject({
    tool: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
    args: z.record(z.string(), z.unknown()).optional(),
    action: z.string().min(1).optional(),
    /** Default `main`: the agent's main session. */
    sessionKey: z.string().min(1).optional(),
    agentId: z.string().min(1).optional(),
    /** Accepted for OpenClaw compatibility; a tool call has no idempotency store yet. */
    idempotencyKey: z.string().optional(),
    /** Accepted and ignored, as OpenClaw does. */
    dryRun: z.boolean().optional(),
  })
  .refine((body) => body.name !== undefined || body.tool !== undefined, { message: 'name (or tool) is required', path: ['name'] })

export type InvokeRequest = z.output<typeof InvokeRequestSchema>
