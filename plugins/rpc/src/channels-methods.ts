import type { RpcMethodDefinition } from '@openclaw/plugin-sdk'
import { z } from 'zod'
import type { RpcMethodDeps } from './rpc-method-deps.js'

const Empty = z.strictObject({})
const DeliveriesList = z.strictObject({ channel: z.string().min(1).max(128).optional(), limit: z.number().int().min(1).max(1000).optional() })
const DeliveryKey = z.strictObject({ deliveryKey: z.string().min(1).max(512) })
const PairingList = z.strictObject({ channel: z.string().min(1).max(128).optional() })
const PairingApprove = z.strictObject({ channel: z.string().min(1).max(128), code: z.string().min(1).max(32), accountId: z.string().min(1).max(256).optional() })
const InboxList = z.strictObject({
  state: z.enum(['pending', 'done', 'failed', 'dropped']).optional(),
  channel: z.string().min(1).max(128).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
})

/**
 * Channel operations: `channels.status` (liveness of every account), `deliveries.list|retry|drop`
 * (dead letters), `pairing.list|approve` (DM pairing), `inbox.list` (accepted events, failures with
 * their reason).
 */
export function createChannelsMethods(deps: RpcMethodDeps): RpcMethodDefinition<never, object>[] {
  const { gateway } = deps
  const methods: RpcMethodDefinition<never, object>[] = [
    {
      name: 'channels.status',
      description: 'Liveness of every channel account: last receive, last send, last error',
      params: Empty,
      handler: () => ({ channels: gateway.channels.status() }),
    } as unknown as RpcMethodDefinition<never, object>,
    {
      name: 'deliveries.list',
      description: 'Dead letters: messages that failed for good, newest first',
      params: DeliveriesList,
      handler: async (params: z.output<typeof DeliveriesList>) => ({ deliveries: await gateway.delivery.deadLetters(params) }),
    } as unknown as RpcMethodDefinition<never, object>,
    {
      name: 'deliveries.retry',
      description: 'Put a dead letter back in line',
      params: DeliveryKey,
      handler: async ({ deliveryKey }: z.output<typeof DeliveryKey>) => {
        await gateway.delivery.retry(deliveryKey)
        return { ok: true, deliveryKey }
      },
    } as unknown as RpcMethodDefinition<never, object>,
    {
      name: 'deliveries.drop',
      description: 'Give a dead letter up',
      params: DeliveryKey,
      handler: async ({ deliveryKey }: z.output<typeof DeliveryKey>) => {
        await gateway.delivery.drop(deliveryKey)
        return { ok: true, deliveryKey }
      },
    } as unknown as RpcMethodDefinition<never, object>,
    {
      name: 'pairing.list',
      description: 'Pending DM pairing requests',
      params: PairingList,
      handler: async ({ channel }: z.output<typeof PairingList>) => ({ requests: await gateway.pairing.list(channel) }),
    } as unknown as RpcMethodDefinition<never, object>,
    {
      name: 'pairing.approve',
      description: 'Admit the sender of a pending pairing request to direct messages',
      params: PairingApprove,
      handler: async ({ channel, code, accountId }: z.output<typeof PairingApprove>) => ({ ok: true, channel, ...(await gateway.pairing.approve(channel, code, accountId)) }),
    } as unknown as RpcMethodDefinition<never, object>,
    {
      name: 'inbox.list',
      description: 'Accepted channel events, newest first; failed ones with their reason',
      params: InboxList,
      handler: async (params: z.output<typeof InboxList>) => ({ events: await gateway.inbound.list(params) }),
    } as unknown as RpcMethodDefinition<never, object>,
  ]
  return methods
}
