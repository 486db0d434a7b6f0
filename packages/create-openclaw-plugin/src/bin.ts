#!/usr/bin/env node
import { runCreate } from './run-create.js'

process.exitCode = await runCreate(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
})
