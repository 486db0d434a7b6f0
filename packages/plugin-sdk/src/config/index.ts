// @openclaw/plugin-sdk/config: helpers for a plugin's config schema (zod). Explicit names only;
// docs/plugin-api.md lists each one.
export { MAX_TIMER_MS, timerMs } from './timer-ms.js'
