// @openclaw/plugin-sdk/testing: shipped, typed test doubles. Explicit names only.

export { createTestGateway } from './create-test-gateway.js'
export type { TestGateway, TestGatewayOptions } from './create-test-gateway.js'
export { InMemoryChannel } from './in-memory-channel.js'
export type { InMemoryChannelOptions } from './in-memory-channel.js'
export { collectEvents, failureOf } from './collect-events.js'
export { createFakeClock } from './fake-clock.js'
export type { FakeClock } from './fake-clock.js'
export { createScriptedModelServer } from './scripted-model-server.js'
export type { ScriptedModelServer, ScriptedStep, RecordedRequest } from './scripted-model-server.js'
export type { ScriptedReply, ScriptedFailure, ScriptedHang, ScriptedToolCall, ScriptedModelServerOptions, WireFormat } from './scripted-model-server.js'
export { createScriptedProvider } from './scripted-provider.js'
export type { ScriptedProvider, ScriptedProviderOptions, ScriptedProviderReply, ScriptedProviderStep, ScriptedProviderToolCall } from './scripted-provider.js'
