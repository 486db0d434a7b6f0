import { InvalidArgumentError, Option, type Command } from 'commander'
import type { CliIo } from './cli-io.js'

// `openclaw cron …` (alias `automations`): OpenClaw's automation commands against a running gateway.
// Only commander loads here; the actions import commands/cron.js when they run.

function parsePositiveInt(value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1')
  return n
}

/** The flags that describe a job, shared by `add` and `edit`. */
function addJobOptions(command: Command): Command {
  return command
    .option('--name <name>', 'job name')
    .option('--description <text>', 'what the job is for')
    .option('--at <when>', 'one-shot: an ISO time (UTC unless --tz) or a duration from now (20m, 2h)')
    .option('--every <duration>', 'recurring: an interval (30s, 10m, 1h, 1d)')
    .option('--cron <expr>', 'recurring: a 5- or 6-field cron expression (croner)')
    .option('--tz <zone>', 'IANA time zone of --cron; default the gateway host\'s')
    .option('--stagger <duration>', 'with --cron: spread fires over this window (a fixed offset per job; top-of-hour expressions get 5m by default)')
    .option('--exact', 'with --cron: no stagger (fire exactly on the expression)')
    .option('--agent <id>', 'agent that runs the job (default main)')
    .option('--session <target>', 'main, isolated, or session:<key> (default: main for --system-event, isolated for --message)')
    .option('--message <text>', 'payload: an agent turn with this message')
    .option('--system-event <text>', 'payload: a system event for the main session\'s heartbeat')
    .addOption(new Option('--wake <mode>', 'for --system-event: run a heartbeat now, or wait for the next one').choices(['now', 'next-heartbeat']))
    .option('--model <provider/model>', 'model for the agent turn')
    .option('--thinking <level>', 'thinking level for the agent turn')
    .addOption(new Option('--timeout-seconds <n>', 'stop a run after this long (default 60 minutes)').argParser(parsePositiveInt))
    .option('--announce', 'deliver the reply to --channel/--to (the default for isolated jobs when given)')
    .option('--deliver', 'same as --announce')
    .option('--no-deliver', 'do not deliver the reply')
    .option('--webhook <url>', 'POST the result to this URL')
    .option('--channel <id>', 'delivery channel (or last)')
    .option('--to <target>', 'delivery target: chat id, user id, …')
    .option('--thread-id <id>', 'delivery thread')
    .option('--account <id>', 'delivery account')
    .option('--best-effort-deliver', 'a failed delivery does not fail the run')
    .option('--delete-after-run', 'delete a one-shot after it succeeded (the default for --at)')
    .option('--keep-after-run', 'keep a one-shot after it ran')
    .option('--failure-alert', 'send failure alerts for this job (with the defaults, or the --failure-alert-* settings)')
    .option('--no-failure-alert', 'send no failure alerts for this job')
    .addOption(new Option('--failure-alert-after <n>', 'alert after this many failures in a row (default 2)').argParser(parsePositiveInt))
    .option('--failure-alert-channel <id>', 'alert channel (or last)')
    .option('--failure-alert-to <target>', 'alert target (a chat id, or the URL with --failure-alert-mode webhook)')
    .option('--failure-alert-cooldown <duration>', 'least time between alerts of a job (default 1h; 0 for none)')
    .option('--failure-alert-include-skipped', 'skipped fires in a row count toward an alert')
    .option('--failure-alert-exclude-skipped', 'skipped fires do not count (the default)')
    .addOption(new Option('--failure-alert-mode <mode>', 'how the alert is sent').choices(['announce', 'webhook']))
    .option('--failure-alert-account-id <id>', 'alert account')
    .addOption(new Option('--missed <policy>', 'missed fires: reschedule (default), runOnce, skip').choices(['reschedule', 'runOnce', 'skip']))
    .addOption(new Option('--max-lateness <duration>', 'with --missed skip: how late a fire may still run'))
}

/** Register `cron` and its `automations` alias on the program. */
export function addCronCommands(program: Command, io: CliIo, withConnection: (command: Command) => Command): void {
  const cron = program.command('cron').alias('automations').description('scheduled jobs on the running gateway: add, list, run, history')
  const run = (name: string) => async (...args: unknown[]) => {
    const command = args.at(-1) as Command
    const positional = args.slice(0, -2) as string[]
    const { runCronCommand } = await import('./commands/cron.js')
    await runCronCommand(name, positional, command.optsWithGlobals(), io)
  }
  withConnection(addJobOptions(cron.command('add').alias('create').description('add a job (prints it as JSON)').option('--disabled', 'add it disabled').option('--json', 'print JSON (the default)'))).action(run('add'))
  withConnection(cron.command('list').description('list jobs').option('--all', 'include disabled jobs').option('--agent <id>', 'only this agent\'s jobs').option('--json', 'print the cron.list answer as JSON')).action(run('list'))
  withConnection(cron.command('get').alias('show').argument('<id>').description('print a job as JSON').option('--json', 'print JSON (the default)')).action(run('get'))
  withConnection(addJobOptions(cron.command('edit').argument('<id>').description('change a job').option('--json', 'print JSON (the default)'))).action(run('edit'))
  withConnection(cron.command('enable').argument('<id>').description('enable a job (re-armed from now; clears an auto-disable)').option('--json', 'print JSON (the default)')).action(run('enable'))
  withConnection(cron.command('disable').argument('<id>').description('disable a job').option('--json', 'print JSON (the default)')).action(run('disable'))
  withConnection(cron.command('rm').alias('remove').argument('<id>').description('remove a job').option('--json', 'print JSON (the default)')).action(run('rm'))
  withConnection(
    cron.command('run').argument('<id>').description('run a job now (or only if due)')
      .option('--due', 'run only if the job is due')
      .option('--wait', 'wait for the run to finish and print its row')
      .option('--wait-timeout <duration>', 'give up waiting after this long (default 10m)')
      .option('--poll-interval <duration>', 'how often to check (default 2s)')
      .option('--json', 'print JSON (the default)'),
  ).action(run('run'))
  withConnection(
    cron.command('runs').description('run history, newest first').option('--id <id>', 'one job\'s runs').option('--run-id <id>', 'one run')
      .addOption(new Option('--limit <n>', 'at most this many (1-200)').argParser(parsePositiveInt)).option('--json', 'print JSON (the default)'),
  ).action(run('runs'))
  withConnection(cron.command('status').description('the scheduler: jobs, runs going, next wake').option('--json', 'print JSON (the default)')).action(run('status'))
}
