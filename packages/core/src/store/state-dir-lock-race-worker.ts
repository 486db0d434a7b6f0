// A starter in the lock race test (state-dir-lock.test.ts): a worker thread that runs the real
// StateDirLock.acquire on each trial's directory, all starters released at once by a shared barrier.
import { parentPort, workerData } from 'node:worker_threads'
import { StateDirLock } from './state-dir-lock.js'

const { dirs, starters, arrived } = workerData as { dirs: string[]; starters: number; arrived: SharedArrayBuffer }
const barrier = new Int32Array(arrived)
const outcomes: string[] = []
const held: StateDirLock[] = []
for (let trial = 0; trial < dirs.length; trial++) {
  Atomics.add(barrier, trial, 1)
  Atomics.notify(barrier, trial)
  for (let seen = Atomics.load(barrier, trial); seen < starters; seen = Atomics.load(barrier, trial)) Atomics.wait(barrier, trial, seen, 50)
  try {
    held.push(StateDirLock.acquire(dirs[trial]!))
    outcomes.push('acquired')
  } catch (err) {
    outcomes.push((err as { code?: string }).code ?? String(err))
  }
}
parentPort!.postMessage(outcomes)
// Stay alive (the port's listener keeps this thread running) until the test has every starter's
// outcomes and stops the workers: a thread that ended here would run its exit handlers, releasing the
// locks it holds while slower starters still race in the last trial.
parentPort!.once('message', () => {})
