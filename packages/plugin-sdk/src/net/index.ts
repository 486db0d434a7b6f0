// @openclaw/plugin-sdk/net: for plugins that fetch or call URLs a user gave them (webhooks, media):
// the gateway's one SSRF check, so every plugin refuses the same private, loopback and link-local hosts.
export { isPrivateAddress, publicUrlProblem, shownUrl } from '@openclaw/core'
export type { ResolveHost } from '@openclaw/core'
