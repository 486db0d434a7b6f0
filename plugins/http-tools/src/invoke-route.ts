import { CoreErrors, isCodedError, type GatewayRuntime, type HttpRouteDefinition, type Logger, type RouteReply } from '@openclaw/plugin-sdk'
import type { HttpToolPolicy } from './http-tool-policy.js'
import { InvokeRequestSchema } from './invoke-request.js'

export const INVOKE_PATH = '/tools/invoke'

type ErrorType = 'invalid_request' | 'not_found' | 'tool_error'

const STATUS: Readonly<Record<ErrorType, number>> = { invalid_request: 400, not_found: 404, tool_error: 500 }

/** Tool error codes (from the gateway's tool runtime) that mean "no such tool here". */
const NOT_FOUND_CODES: ReadonlySet<string> = new Set([CoreErrors.CORE_ERR_TOOL_UNKNOWN.code, CoreErrors.CORE_ERR_TOOL_DENIED.code])
const INVALID_ARGS_CODE = CoreErrors.CORE_ERR_TOOL_INVALID_ARGS.code

function fail(reply: RouteReply, type: ErrorType, message: string): RouteReply {
  return reply.code(STATUS[type]).send({ ok: false, error: { type, message } })
}

/**
 * A tool's output as OpenClaw's tool result: `{ content: [{ type: 'text', text }], details }`, the text
 * being a string output as it is and anything else as JSON; `details` is the output itself.
 */
function toolResultOf(output: unknown): { content: { type: 'text'; text: string }[]; details: unknown } {
  const details = output ?? null
  return { content: [{ type: 'text', text: typeof details === 'string' ? details : JSON.stringify(details) }], details }
}

function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${i.path.length > 0 ? i.path.map(String).join('.') : 'body'}: ${i.message}`).join('; ')
}

export interface InvokeRouteOptions {
  readonly gateway: GatewayRuntime
  readonly policy: HttpToolPolicy
  readonly bodyLimit: number
  readonly log: Logger
}

/** `POST /tools/invoke`: call one gateway tool with the gateway credential. */
export function createInvokeRoute({ gateway, policy, bodyLimit, log }: InvokeRouteOptions): HttpRouteDefinition {
  return {
    method: 'POST',
    path: INVOKE_PATH,
    auth: 'gateway',
    bodyLimit,
    async handler(request, reply) {
      if (typeof request.body !== 'object' || request.body === null || Array.isArray(request.body)) {
        return fail(reply, 'invalid_request', 'The body must be a JSON object: { "name": "<tool>", "args": { … } }')
      }
      const parsed = InvokeRequestSchema.safeParse(request.body)
      if (!parsed.success) return fail(reply, 'invalid_request', describeIssues(parsed.error.issues))
      const body = parsed.data
      const name = (body.name ?? body.tool)!
      const denied = policy.check(name, gateway.registry.tools.get(name))
      if (denied !== undefined) return fail(reply, 'not_found', denied)

      // The call is cancelled when the client goes away before the answer.
      const controller = new AbortController()
      const onClose = () => {
        if (!reply.raw.writableEnded) controller.abort(new Error('the client closed the connection'))
      }
      reply.raw.once('close', onClose)
      let result
      try {
        result = await gateway.tools.invoke({
          name,
          args: body.args ?? {},
          ...(body.action !== undefined ? { action: body.action } : {}),
          sessionKey: body.sessionKey ?? 'main',
          ...(body.agentId !== undefined ? { agentId: body.agentId } : {}),
          via: 'http',
          signal: controller.signal,
        })
      } catch (err) {
        // Bad session keys and unknown agents are the caller's mistake.
        if (isCodedError(err) && err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
          return fail(reply, 'invalid_request', err.message)
        }
        throw err
      } finally {
        reply.raw.removeListener('close', onClose)
      }
      if (result.ok) return reply.send({ ok: true, result: toolResultOf(result.output) })
      const error = result.error ?? { code: CoreErrors.CORE_ERR_TOOL_FAILED.code, message: `Tool '${name}' failed` }
      if (NOT_FOUND_CODES.has(error.code)) return fail(reply, 'not_found', error.message)
      if (error.code === INVALID_ARGS_CODE) return fail(reply, 'invalid_request', error.message)
      log.debug({ tool: name, code: error.code }, 'tool invoked over HTTP failed')
      return fail(reply, 'tool_error', error.message)
    },
  }
}
