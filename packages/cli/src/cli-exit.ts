/**
 * Thrown by a command that has already told the user what went wrong and only needs the process
 * to end with `exitCode`. `runCli` prints nothing more for it.
 */
export class CliExit extends Error {
  override name = 'CliExit'
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`)
  }
}
