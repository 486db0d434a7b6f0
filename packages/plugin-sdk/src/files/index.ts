// @openclaw/plugin-sdk/files: for plugins that keep a small file of their own in the state directory
// (a generated token or key): written whole, created by exactly one of several gateways starting at once.
export { putFileWhole } from '@openclaw/core'
