// Our gateway for compat/openclaw-cli.sh: the scripted model server from the SDK test kit (it answers
// every model call with a fixed text), a `channel:file` plugin registering channel `telegram` (what it
// is asked to send goes to a file; OpenClaw's CLI refuses channel ids it does not know itself), and `openclaw gateway` itself, in this process, on a free port. It prints the gateway's
// "listening on" line; SIGTERM stops both. Run from the repository root:
//   node --conditions=source --import tsx compat/scripted-gateway.ts <work-dir> <gateway-token>
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createScriptedModelServer } from '../packages/plugin-sdk/src/testing/index.js'
import { runCli } from '../packages/cli/src/run-cli.js'

const [dir, token] = process.argv.slice(2)
if (!dir || !token) {
  process.stderr.write('usage: scripted-gateway.ts <work-dir> <gateway-token>\n')
  process.exit(2)
}

const model = await createScriptedModelServer({ models: ['scripted-model'] })
model.replyWith(() => ({ text: 'pong from the scripted model' }))

const channelDir = join(dir, 'channel-file')
mkdirSync(channelDir, { recursive: true })
writeFileSync(join(channelDir, 'openclaw.plugin.json'), JSON.stringify({ id: 'channel:file', version: '1.0.0', kind: 'channel', entry: 'index.mjs' }))
writeFileSync(
  join(channelDir, 'index.mjs'),
  `import { appendFileSync } from 'node:fs'
let sent = 0
export default {
  id: 'channel:file',
  version: '1.0.0',
  kind: 'channel',
  register(api) {
    api.channels.register({
      id: 'telegram',
      label: 'File channel standing in for Telegram (compat)',
      capabilities: { media: true },
      async send(message) {
        appendFileSync(${JSON.stringify(join(dir, 'sent.jsonl'))}, JSON.stringify(message) + '\\n')
        return { messageId: 'file-' + ++sent }
      },
    })
  },
}
`,
)

// An OpenClaw-shaped config: a provider under its own id, naming its wire API, with its catalogue.
const configPath = join(dir, 'gateway.json')
writeFileSync(configPath, JSON.stringify({
  gateway: { auth: { mode: 'token', token } },
  models: {
    providers: {
      scripted: { baseUrl: model.baseUrl, apiKey: 'scripted', api: 'openai-completions', maxRetries: 0, models: [{ id: 'scripted-model', name: 'Scripted model', contextWindow: 32000 }] },
    },
  },
  agents: { defaults: { model: 'scripted/scripted-model' } },
  plugins: { load: { paths: [channelDir] } },
}, null, 2))

const code = await runCli(['node', 'openclaw', 'gateway', '--port', '0', '--state-dir', join(dir, 'state'), '--config', configPath])
await model.close()
process.exit(code)
