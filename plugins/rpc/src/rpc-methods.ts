import type { RpcMethodDefinition } from '@openclaw/plugin-sdk'
import { createAgentMethod } from './agent-method.js'
import { createAgentWaitMethod } from './agent-wait-method.js'
import { createChannelsMethods } from './channels-methods.js'
import { createChatAbortMethod } from './chat-abort-method.js'
import { createChatHistoryMethod } from './chat-history-method.js'
import { createChatSendMethod } from './chat-send-method.js'
import { createHealthMethod } from './health-method.js'
import { createMessageActionMethod } from './message-action-method.js'
import { createModelsListMethod } from './models-list-method.js'
import type { RpcMethodDeps } from './rpc-method-deps.js'
import { createSendMethod } from './send-method.js'
import { createSessionsMethods } from './sessions-methods.js'
import { createStatusMethod } from './status-method.js'
import { createToolsInvokeMethod } from './tools-invoke-method.js'
import { createWakeMethod } from './wake-method.js'

/** Every method this plugin registers with `api.rpc.method()`, in the order `hello-ok` lists them. */
export function createRpcMethods(deps: RpcMethodDeps): RpcMethodDefinition<never, unknown>[] {
  const methods = [
    createHealthMethod(deps),
    createStatusMethod(deps),
    createAgentMethod(deps),
    createAgentWaitMethod(deps),
    createSendMethod(deps),
    createMessageActionMethod(deps),
    createWakeMethod(deps),
    createChatSendMethod(deps),
    createChatHistoryMethod(deps),
    createChatAbortMethod(deps),
    ...createSessionsMethods(deps),
    createToolsInvokeMethod(deps),
    createModelsListMethod(deps),
    ...createChannelsMethods(deps),
  ]
  return methods as unknown as RpcMethodDefinition<never, unknown>[]
}
