import { createRequire } from 'node:module'

/** This package's version: `openclaw --version`, and the `client.version` the CLI sends the gateway. */
export const CLI_VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version
