// @openclaw/cli: the `openclaw` command, the composition root that wires the core and the
// first-party plugins. Explicit names only.

// ── Running the CLI ──────────────────────────────────────────────────────────────────────────────
export { createCli } from './create-cli.js'
export { runCli } from './run-cli.js'
export { createCliIo } from './cli-io.js'
export type { CliIo, ShutdownSignal } from './cli-io.js'
export { CliExit } from './cli-exit.js'
export { EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_CONFIG } from './exit-codes.js'
