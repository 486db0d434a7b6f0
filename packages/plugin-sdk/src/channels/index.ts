// @openclaw/plugin-sdk/channels: what a channel plugin author needs beyond the main entry: the
// access-control config shape to spread into an account schema, and the event and capability types.
export { ChannelAccessShape, ChannelAccessSchema, formatMarkdown, splitText } from '@openclaw/core'
export type {
  ChannelEvent,
  ChannelMessageEvent,
  ChannelEditedEvent,
  ChannelButtonEvent,
  ChannelChat,
  ChannelSender,
  InboundMediaRef,
  AcceptOutcome,
  ChannelCapabilities,
  ChannelRateLimit,
  ChannelSendContext,
  ChannelSendResult,
  ChannelAccountProgress,
  ChannelAccountStatus,
  ChannelAccessConfig,
  FetchedMedia,
  TextFormat,
  MediaKind,
} from '@openclaw/core'
