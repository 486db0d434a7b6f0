import { Argument, Command, InvalidArgumentError, Option } from 'commander'
import type { ThinkingLevel } from '@openclaw/core'
import { createCliIo, type CliIo } from './cli-io.js'
import { CLI_VERSION } from './cli-version.js'
import { addCronCommands } from './cron-cli.js'
import { normalizeGatewayUrl } from './gateway-url.js'

// Only types and commander load here: each command imports its module (and with it the core and
// the plugins) when it runs, so `openclaw --help` and usage errors stay instant.

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

function parseLimit(value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || n < 1 || n > 1000) throw new InvalidArgumentError('expected a whole number from 1 to 1000')
  return n
}

function parseMaxResults(value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || n < 1 || n > 100) throw new InvalidArgumentError('expected a whole number from 1 to 100')
  return n
}

function parseScore(value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('expected a number from 0 to 1')
  return n
}

function parseUrl(value: string): string {
  const url = normalizeGatewayUrl(value)
  if (url === undefined) throw new InvalidArgumentError('expected ws://host:port or wss://host:port (http:// and https:// work too), with no credentials or query in it (use --token / --password)')
  return url
}

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value) as unknown
  } catch (err) {
    throw new InvalidArgumentError(`expected JSON: ${(err as Error).message}`)
  }
}

function parseJsonObject(value: string): Record<string, unknown> {
  const parsed = parseJson(value)
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InvalidArgumentError('expected a JSON object ({…})')
  return parsed as Record<string, unknown>
}

function parseJsonArray(value: string): unknown[] {
  const parsed = parseJson(value)
  if (!Array.isArray(parsed)) throw new InvalidArgumentError('expected a JSON array ([…])')
  return parsed
}

/** The flags of every command that talks to a running gateway (see gateway-connection.ts for the order). */
function addConnectionOptions(command: Command): Command {
  return command
    .addOption(new Option('--url <url>', 'gateway WebSocket URL (default: $OPENCLAW_GATEWAY_URL, else ws://127.0.0.1:<gateway.port>)').argParser(parseUrl))
    .addOption(new Option('--token <token>', 'gateway token (default: $OPENCLAW_GATEWAY_TOKEN, else gateway.auth.token, else <state-dir>/gateway.token)').argParser(parseNonEmpty))
    .addOption(new Option('--password <password>', 'gateway password, for gateway.auth.mode "password" (default: $OPENCLAW_GATEWAY_PASSWORD, else gateway.auth.password)').argParser(parseNonEmpty).conflicts('token'))
    .addOption(configOption())
    .addOption(stateDirOption())
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
    .version(CLI_VERSION, '-V, --version', 'print the version')
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
  const gatewayCall = gateway
    .command('call')
    .description('call one RPC method on the running gateway and print its answer as JSON')
    .argument('<method>', 'method name: health, status, agent, send, sessions.list, chat.history, …')
    .addOption(new Option('--params <json>', 'the method\'s params, a JSON object').argParser(parseJsonObject))
    .addOption(new Option('--timeout <seconds>', 'give up after this long; 0 means no limit (default: 30, none for agent)').argParser(parseSeconds))
    .option('--json', 'print JSON (the output is JSON either way)')
  addConnectionOptions(gatewayCall).action(async (method: string, _options, command: Command) => {
    const { runGatewayCall } = await import('./commands/gateway-call.js')
    await runGatewayCall(method, command.optsWithGlobals(), io)
  })

  addConnectionOptions(
    program
      .command('health')
      .description('ask the running gateway whether it is ready; exit 1 if it is not')
      .option('--json', 'print the health answer as JSON'),
  ).action(async (options) => {
    const { runHealth } = await import('./commands/health.js')
    await runHealth(options, io)
  })

  addConnectionOptions(
    program
      .command('status')
      .description('summarise the running gateway: version, uptime, agents, channels, plugins, connections')
      .option('--json', 'print the status answer as JSON'),
  ).action(async (options) => {
    const { runStatus } = await import('./commands/status.js')
    await runStatus(options, io)
  })

  const models = program.command('models').description('the running gateway\'s model catalogue')
  addConnectionOptions(
    models
      .command('list')
      .description('list the configured models: provider/model, name, input, context window, tags')
      .option('--provider <id>', 'only this provider\'s models')
      .option('--agent <id>', 'tag this agent\'s model as default (default: main)')
      .option('--json', 'print the models.list answer as JSON'),
  ).action(async (options) => {
    const { runModelsList } = await import('./commands/models-list.js')
    await runModelsList(options, io)
  })

  const sessions = program.command('sessions').description('list, read and reset the running gateway\'s sessions')
  addConnectionOptions(
    sessions
      .command('list')
      .description('list sessions: key, agent, message count, last update')
      .option('--agent <id>', 'only this agent\'s sessions')
      .addOption(new Option('--limit <n>', 'at most this many (1-1000)').argParser(parseLimit))
      .option('--json', 'print the sessions.list answer as JSON'),
  ).action(async (options) => {
    const { runSessionsList } = await import('./commands/sessions-list.js')
    await runSessionsList(options, io)
  })
  addConnectionOptions(
    sessions
      .command('history')
      .description('print a session\'s latest messages, oldest first')
      .argument('<key>', 'session key: agent:<id>:<rest>, or <rest> scoped to --agent (default main)')
      .option('--agent <id>', 'agent that scopes a bare key')
      .addOption(new Option('--limit <n>', 'at most this many messages (1-1000, default 200)').argParser(parseLimit))
      .option('--json', 'print the chat.history answer as JSON'),
  ).action(async (key: string, options) => {
    const { runSessionsHistory } = await import('./commands/sessions-history.js')
    await runSessionsHistory(key, options, io)
  })
  addConnectionOptions(
    sessions
      .command('reset')
      .description('clear a session\'s transcript (the session stays)')
      .argument('<key>', 'session key: agent:<id>:<rest>, or <rest> scoped to --agent (default main)')
      .option('--agent <id>', 'agent that scopes a bare key')
      .option('--json', 'print the sessions.reset answer as JSON'),
  ).action(async (key: string, options) => {
    const { runSessionsReset } = await import('./commands/sessions-reset.js')
    await runSessionsReset(key, options, io)
  })

  const memory = program.command('memory').description('the running gateway\'s memory index: status, reindex, search')
  addConnectionOptions(
    memory
      .command('status')
      .description('chunks, last index, embedding model and backend of an agent\'s memory')
      .option('--agent <id>', 'agent whose memory (default: main)')
      .option('--json', 'print the memory.status answer as JSON'),
  ).action(async (options) => {
    const { runMemoryStatus } = await import('./commands/memory.js')
    await runMemoryStatus(options, io)
  })
  addConnectionOptions(
    memory
      .command('index')
      .description('reindex the memory files that changed (--force: every file)')
      .option('--agent <id>', 'agent whose memory (default: main)')
      .option('--force', 'reindex every file, changed or not')
      .option('--json', 'print the memory.index answer as JSON'),
  ).action(async (options) => {
    const { runMemoryIndex } = await import('./commands/memory.js')
    await runMemoryIndex(options, io)
  })
  addConnectionOptions(
    memory
      .command('search')
      .description('search memory as the memory_search tool does')
      .addArgument(new Argument('<query>', 'what to look for').argParser(parseNonEmpty))
      .option('--agent <id>', 'agent whose memory (default: main)')
      .addOption(new Option('--max-results <n>', 'at most this many results (1-100)').argParser(parseMaxResults))
      .addOption(new Option('--min-score <score>', 'drop results scoring below this (0-1)').argParser(parseScore))
      .option('--json', 'print the memory.search answer as JSON'),
  ).action(async (query: string, options) => {
    const { runMemorySearch } = await import('./commands/memory.js')
    await runMemorySearch(query, options, io)
  })

  const channels = program.command('channels').description('the running gateway\'s channel accounts and their liveness')
  for (const mode of ['list', 'status'] as const) {
    addConnectionOptions(
      channels
        .command(mode)
        .description(mode === 'list' ? 'list channel accounts and their state' : 'each account\'s last receive, last send and last error')
        .option('--channel <id>', 'only this channel')
        .option('--json', 'print the channels.status answer as JSON'),
    ).action(async (options) => {
      const { runChannels } = await import('./commands/channel-ops.js')
      await runChannels(mode, options, io)
    })
  }

  const deliveries = program.command('deliveries').description('dead letters: messages that failed for good')
  addConnectionOptions(
    deliveries
      .command('list')
      .description('list dead letters, newest first')
      .option('--channel <id>', 'only this channel')
      .addOption(new Option('--limit <n>', 'at most this many (1-1000)').argParser(parseLimit))
      .option('--json', 'print the deliveries.list answer as JSON'),
  ).action(async (options) => {
    const { runDeliveriesList } = await import('./commands/channel-ops.js')
    await runDeliveriesList(options, io)
  })
  for (const action of ['retry', 'drop'] as const) {
    addConnectionOptions(
      deliveries
        .command(action)
        .description(action === 'retry' ? 'put a dead letter back in line' : 'give a dead letter up')
        .argument('<deliveryKey>', 'the delivery key (from deliveries list)')
        .option('--json', `print the deliveries.${action} answer as JSON`),
    ).action(async (key: string, options) => {
      const { runDeliveryAction } = await import('./commands/channel-ops.js')
      await runDeliveryAction(action, key, options, io)
    })
  }

  const pairing = program.command('pairing').description('DM pairing: admit unknown senders by their code')
  addConnectionOptions(
    pairing
      .command('list')
      .description('list pending pairing requests')
      .argument('[channel]', 'only this channel')
      .option('--json', 'print the pairing.list answer as JSON'),
  ).action(async (channel: string | undefined, options) => {
    const { runPairingList } = await import('./commands/channel-ops.js')
    await runPairingList(channel, options, io)
  })
  addConnectionOptions(
    pairing
      .command('approve')
      .description('admit the sender of a pending request to direct messages')
      .argument('<channel>', 'the channel, e.g. telegram or webhook')
      .argument('<code>', 'the pairing code the sender got')
      .option('--account <id>', 'the channel account (when codes could clash)')
      .option('--json', 'print the pairing.approve answer as JSON'),
  ).action(async (channel: string, code: string, options) => {
    const { runPairingApprove } = await import('./commands/channel-ops.js')
    await runPairingApprove(channel, code, options, io)
  })

  addConnectionOptions(
    program
      .command('message')
      .description('send messages through the running gateway\'s channels')
      .command('send')
      .description('send a message to a channel target (text, media URL, buttons, card)')
      .option('--channel <id>', 'channel to send through (default: the gateway\'s only channel)')
      .requiredOption('-t, --target <target>', 'the channel\'s target: chat id, user id, phone number, …', parseNonEmpty)
      .option('-m, --message <text>', 'message text')
      .option('--media <url>', 'an http(s) URL of an image or file to attach (local files cannot be sent)')
      .addOption(new Option('--buttons <json>', 'buttons: a JSON array of rows of {text, data?, url?} (or one flat row)').argParser(parseJsonArray))
      .addOption(new Option('--card <json>', 'a card, as a JSON object the channel understands').argParser(parseJsonObject))
      .option('--reply-to <id>', 'message id to reply to')
      .option('--thread-id <id>', 'thread or topic to send into')
      .option('--account <id>', 'channel account to send from')
      .option('--json', 'print the send receipt as JSON'),
  ).action(async (options, command: Command) => {
    if (options.message === undefined && options.media === undefined) command.error('error: one of --message or --media is required')
    const { runMessageSend } = await import('./commands/message-send.js')
    await runMessageSend(options, io)
  })

  const agent = program
    .command('agent')
    .description('run one agent turn on the running gateway (or embedded with --local) and print the reply')
    .requiredOption('-m, --message <text>', 'the message to send', parseNonEmpty)
    .option('--local', 'run the turn in this process (no running gateway needed)')
    .option('--agent <id>', 'agent id (default: main)')
    .option('--session-id <key>', 'session key: agent:<id>:<rest>, or <rest> scoped to the agent (default: the agent\'s main session)')
    .option('-t, --to <target>', 'delivery target for --deliver (an agent:<id>:<rest> key selects that session instead)')
    .option('--channel <id>', 'delivery channel for --deliver')
    .option('--deliver', 'deliver the reply to --channel/--to (or to the session\'s last route)')
    .option('--run-id <key>', 'idempotency key of the run: the gateway never runs the same key twice (default: a new one)')
    .addOption(new Option('--thinking <level>', 'thinking level').choices(THINKING_LEVELS))
    .addOption(new Option('--timeout <seconds>', 'give up after this long; 0 means no limit (default: agents.defaults.timeoutSeconds)').argParser(parseSeconds))
    .option('--json', 'print the run result as JSON instead of streaming the reply')
  addConnectionOptions(agent).action(async (options, command: Command) => {
    // Flags that only mean something to a running gateway.
    const gatewayOnly = (['url', 'token', 'password', 'to', 'channel', 'deliver', 'runId'] as const).filter((key) => options[key] !== undefined)
    if (options.local && gatewayOnly.length > 0) {
      command.error(`error: ${gatewayOnly.map((key) => command.options.find((o) => o.attributeName() === key)!.long).join(', ')} cannot be used with --local (only a running gateway has channels and runs by id)`)
    }
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

  const plugins = program.command('plugins').description('list, install and manage plugins')
  plugins
    .command('list')
    .description('list the plugins the gateway would load, with state, version and source')
    .option('--json', 'print JSON')
    .addOption(configOption())
    .addOption(stateDirOption())
    .action(async (options) => {
      const { runPluginsList } = await import('./commands/plugins-list.js')
      await runPluginsList(options, io)
    })
  plugins
    .command('info')
    .description('show one plugin: state, version, source, API range, config key and schema, install record')
    .argument('<id>', 'plugin id')
    .option('--json', 'print JSON')
    .addOption(configOption())
    .addOption(stateDirOption())
    .action(async (id: string, options) => {
      const { runPluginsInfo } = await import('./commands/plugins-info.js')
      await runPluginsInfo(id, options, io)
    })
  plugins
    .command('install')
    .description('install a plugin into <state-dir>/extensions with npm, after checking its manifest and API range')
    .argument('<spec>', 'a plugin folder (built), a tarball, or an npm spec (name, name@version)')
    .option('--json', 'print what was installed as JSON')
    .addOption(configOption())
    .addOption(stateDirOption())
    .action(async (spec: string, options) => {
      const { runPluginsInstall } = await import('./commands/plugins-install.js')
      await runPluginsInstall(spec, options, io)
    })
  plugins
    .command('uninstall')
    .description('remove a plugin installed with `plugins install`')
    .argument('<id>', 'plugin id or package name')
    .addOption(configOption())
    .addOption(stateDirOption())
    .action(async (id: string, options) => {
      const { runPluginsUninstall } = await import('./commands/plugins-uninstall.js')
      await runPluginsUninstall(id, options, io)
    })
  for (const [name, enabled] of [['enable', true], ['disable', false]] as const) {
    plugins
      .command(name)
      .description(`${name} a plugin: sets plugins.entries.<id>.enabled in the config file`)
      .argument('<id>', 'plugin id')
      .addOption(configOption())
      .addOption(stateDirOption())
      .action(async (id: string, options) => {
        const { runPluginsToggle } = await import('./commands/plugins-toggle.js')
        await runPluginsToggle(id, enabled, options, io)
      })
  }
  plugins
    .command('doctor')
    .description('check installed plugins: lock file, manifests, API ranges, one shared SDK and core, registration')
    .option('--fix', "re-link the gateway's SDK and core into the extensions folder")
    .addOption(configOption())
    .addOption(stateDirOption())
    .action(async (options) => {
      const { runPluginsDoctor } = await import('./commands/plugins-doctor.js')
      await runPluginsDoctor(options, io)
    })

  const skills = program.command('skills').description('work with skills')
  skills
    .command('list')
    .description('list the skills turns can use: from plugins and from <state-dir>/skills')
    .option('--json', 'print JSON')
    .addOption(configOption())
    .addOption(stateDirOption())
    .action(async (options) => {
      const { runSkillsList } = await import('./commands/skills-list.js')
      await runSkillsList(options, io)
    })
  skills
    .command('types')
    .description('write TypeScript declarations for the tools of the JSON skills in <state-dir>/skills')
    .addOption(stateDirOption())
    .option('--out <dir>', 'where to write <slug>.d.ts (default: <state-dir>/skills/types)')
    .action(async (options) => {
      const { runSkillsTypes } = await import('./commands/skills-types.js')
      await runSkillsTypes(options, io)
    })

  addCronCommands(program, io, addConnectionOptions)

  return program
}
