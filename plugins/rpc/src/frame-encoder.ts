import type { RequestId, RpcError } from './protocol.js'

export type { RequestId } from './protocol.js'

/**
 * Builds frames as strings around payloads that are already JSON, so a payload sent to many sockets
 * is serialized once and each socket only pays for its own small envelope (its `seq`).
 */
export const FrameEncoder = Object.freeze({
  /** `{"type":"res","id":…,"ok":true,"payload":…}` */
  ok(id: RequestId, payloadJson: string): string {
    return `{"type":"res","id":${typeof id === 'number' ? id : JSON.stringify(id)},"ok":true,"payload":${payloadJson}}`
  },

  /** `{"type":"res","id":…,"ok":false,"error":{…}}`; `id` is `null` when the frame had none. */
  error(id: RequestId | null, error: RpcError): string {
    return `{"type":"res","id":${JSON.stringify(id)},"ok":false,"error":${JSON.stringify(error)}}`
  },

  /** The start of an event frame, up to its payload; computed once per event name. */
  eventHead(event: string): string {
    return `{"type":"event","event":${JSON.stringify(event)},"payload":`
  },

  /** `{"type":"event","event":…,"payload":…,"seq":n}` from a cached {@link FrameEncoder.eventHead}. */
  event(head: string, payloadJson: string, seq: number): string {
    return `${head}${payloadJson},"seq":${seq}}`
  },
})
