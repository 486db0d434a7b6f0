import { z } from 'zod'

export const DEFAULT_TOOLS_BODY_BYTES = 2 * 1024 * 1024

const ToolNames = z.array(z.string().min(1))

/** `gateway.tools` in the config file: what `/tools/invoke` may call. */
export const HttpToolsConfigSchema = z.strictObject({
  /**
   * Tools callable over HTTP although they are dangerous (`dangerous: true`, or on the built-in HTTP
   * deny list such as `exec`). Exact names.
   */
  allowDangerous: ToolNames.default([]),
  /** OpenClaw's name for `allowDangerous`; both are honoured. */
  allow: ToolNames.default([]),
  /** Tool-name globs (`*` matches anything) never callable over HTTP; wins over the allow lists. */
  deny: ToolNames.default([]),
  /** Largest request body. */
  maxBodyBytes: z.number().int().positive().default(DEFAULT_TOOLS_BODY_BYTES),
})

export type HttpToolsConfig = z.output<typeof HttpToolsConfigSchema>
export type HttpToolsConfigInput = z.input<typeof HttpToolsConfigSchema>
