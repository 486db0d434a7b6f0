// @openclaw/plugin-sdk/testing: shipped, typed test doubles. Explicit names only.

export { createTestGateway } from './create-test-gateway.js'
export type { TestGateway, TestGatewayOptions } from './create-test-gateway.js'
export type { HttpInjectRequest, HttpInjectResponse } from '@openclaw/core'
export { InMemoryChannel } from './in-memory-channel.js'
export type { InMemoryChannelOptions } from './in-memory-channel.js'
export { collectEvents, failureOf } from './collect-events.js'
export { createFakeClock } from './fake-clock.js'
export type { FakeClock } from './fake-clock.js'
export { createScriptedModelServer } from './scripted-model-server.js'
export { scriptedEmbedding } from './scripted-embeddings.js'
export type { ScriptedModelServer, ScriptedStep, RecordedRequest } from './scripted-model-server.js'
export type { ScriptedReply, ScriptedFailure, ScriptedHang, ScriptedToolCall, ScriptedModelServerOptions, WireFormat } from './scripted-model-server.js'
export { createScriptedProvider } from './scripted-provider.js'
export type { ScriptedProvider, ScriptedProviderOptions, ScriptedProviderReply, ScriptedProviderStep, ScriptedProviderToolCall } from './scripted-provider.js'

// Fake Telegram Bot API server (packages/plugin-sdk/src/testing/fake-telegram).
export { startFakeTelegram } from './fake-telegram/start-fake-telegram.js'
export type { FakeTelegram, FakeTelegramOptions, RecordedCall, RecordedUpload, WaitOptions } from './fake-telegram/start-fake-telegram.js'
export type { FakeTelegramFault, FaultTimes, DropOptions } from './fake-telegram/fault-plan.js'
export type { BotMessage, BotMessageEdit } from './fake-telegram/chat-store.js'
export type { CallbackAnswer, ChatActionRecord } from './fake-telegram/fake-telegram-state.js'
export type { StoredFile } from './fake-telegram/file-store.js'
export type { WebhookDelivery } from './fake-telegram/webhook-sender.js'
export type {
  FakeUserOptions,
  FakeGroupOptions,
  UserMessageInput,
  GroupMessageInput,
  FakeMessageTarget,
  FakePhotoInput,
  FakeDocumentInput,
  PressButtonInput,
} from './fake-telegram/user-actions.js'
export type {
  TgUser,
  TgBotUser,
  TgChat,
  TgMessage,
  TgMessageEntity,
  TgUpdate,
  TgCallbackQuery,
  TgInlineKeyboardMarkup,
  TgInlineKeyboardButton,
  TgPhotoSize,
  TgDocument,
  TgFile,
  TgWebhookInfo,
  TgApiResponse,
} from './fake-telegram/telegram-types.js'
