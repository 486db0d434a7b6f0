import { createRequire } from 'node:module'
import { Command, InvalidArgumentError, Option } from 'commander'
import type { ThinkingLevel } from '@openclaw/core'
import { createCliIo, type CliIo } from './cli-io.js'

// Only types and commander load here: each command imports its module (and with it the core and
// the plugins) when it runs, so `openclaw --help` and usage errors stay instant.

const { version } = createRequire(import.meta.url)('../package.json') as { version: string }

/** Mirrors the core's ThinkingLevelSchema; the `satisfies` keeps the two in step. */
const THINKING_LEVELS = ['off', 'minimal', 'low', 'medium', 'high'] as const satisfies readonly ThinkingLevel[]

function parsePort(value: string): number {
  const port = Number(value)
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535 (0 picks a free port)')
  return port
}

function parseSeconds(value: string): number {
  const seconds = Number(value)
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0) throw new InvalidArgumentError('expected a number of seconds (0 means no limit)')
  return seconds
}

function parseNonEmpty(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('must not be empty')
  return value
}

const configOption = () => new Option('--config <path>', 'config file (default: $OPENCLAW_CONFIG_PATH, else <state-dir>/openclaw.json)')
const stateDirOption = () => new Option('--state-dir <path>', 'state directory (default: $OPENCLAW_STATE_DIR, else ~/.openclaw)')

/**
 * The `openclaw` program. Nothing runs until it parses arguments: `await createCli({ stdout, stderr })
 * .parseAsync(argv)` in a test, `runCli(argv)` in the binary. Commander errors are thrown
 * (`exitOverride`), not turned into `process.exit`; a command that fails after reporting throws
 * `CliExit`.
 */
export function createCli(overrides: Partial<CliIo> = {}): Command {
  const io = createCliIo(overrides)
  const program = new Command('openclaw')
    .description('OpenClaw: a self-hosted AI gateway')
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    .configureOutput({ writeOut: (text) => void io.stdout.write(text), writeErr: (text) => void io.stderr.write(text) })
    .showHelpAfterError('(add --help for usage)')
    .enablePositionalOptions()

  const gateway = program
    .command('gateway')
    .description('run the gateway with the first-party plugins until SIGINT/SIGTERM')
    .addOption(new Option('--port <n>', 'port to listen on; 0 picks a free one (overrides $OPENCLAW_GATEWAY_PORT and gateway.port)').argParser(parsePort))
    .addOption(new Option('--bind <mode>', 'loopback, lan, or a host address (overrides gateway.bind)').argParser(parseNonEmpty))
    .addOption(configOption())
    .addOption(stateDirOption())
    .enablePositionalOptions()
    .action(async (options) => {
      const { runGateway } = await import('./commands/gateway.js')
      await runGateway(options, io)
    })
  gateway
    .command('token')
    .description('print the gateway token clients send as "Authorization: Bearer <token>"')
    .addOption(configOption())
    .addOption(stateDirOption())
    .action(async (_options, command: Command) => {
      const { runGatewayToken } = await import('./commands/gateway-token.js')
      runGatewayToken(command.optsWithGlobals(), io)
    })

  program
    .command('agent')
    .description('run one agent turn and print the reply')
    .requiredOption('-m, --message <text>', 'the message to send', parseNonEmpty)
    .option('--local', 'run the turn in this process (no running gateway needed)')
    .option('--agent <id>', 'agent id (default: main)')
    .option('--session-id <key>', 'session key: agent:<id>:<rest>, or <rest> scoped to the agent (default: the agent\'s main session)')
    .addOption(new Option('--thinking <level>', 'thinking level').choices(THINKING_LEVELS))
    .addOption(new Option('--timeout <seconds>', 'give up after this long; 0 means no limit (default: agents.defaults.timeoutSeconds)').argParser(parseSeconds))
    .option('--json', 'print the run result as JSON instead of streaming the reply')
    .addOption(configOption())
    .addOption(stateDirOption())
    .action(async (options) => {
      const { runAgent } = await import('./commands/agent.js')
      await runAgent(options, io)
    })

  const config = program.command('config').description('inspect and check the config file')
  config
    .command('schema')
    .description('print the JSON Schema of the config file (core and first-party plugins)')
    .action(async () => {
      const { runConfigSchema } = await import('./commands/config-schema.js')
      runConfigSchema(io)
    })
  config
    .command('validate')
    .description('validate the config file as the gateway would; exit 78 when it is invalid')
    .addOption(configOption())
    .addOption(stateDirOption())
    .action(async (options) => {
      const { runConfigValidate } = await import('./commands/config-validate.js')
      await runConfigValidate(options, io)
    })

  program
    .command('plugins')
    .description('inspect plugins')
    .command('list')
    .description('list the plugins the gateway would load, with state, version and source')
    .option('--json', 'print JSON')
    .addOption(configOption())
    .addOption(stateDirOption())
    .action(async (options) => {
      const { runPluginsList } = await import('./commands/plugins-list.js')
      await runPluginsList(options, io)
    })

  program
    .command('skills')
    .description('work with skills')
    .command('types')
    .description('write TypeScript declarations for the tools of the JSON skills in <state-dir>/skills')
    .addOption(stateDirOption())
    .option('--out <dir>', 'where to write <slug>.d.ts (default: <state-dir>/skills/types)')
    .action(async (options) => {
      const { runSkillsTypes } = await import('./commands/skills-types.js')
      await runSkillsTypes(options, io)
    })

  return program
}
