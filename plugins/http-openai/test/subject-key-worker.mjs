// A worker thread that loads subject keys as a gateway starting beside others would (caller-subject.test.ts):
// each message names a state dir and the moment to load its key at.
import { parentPort, workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
const { loadSubjectKey } = await import(workerData.module)
parentPort.on('message', ({ stateDir, at }) => {
  while (Date.now() < at);
  parentPort.postMessage(loadSubjectKey(stateDir).toString('hex'))
})
parentPort.postMessage('ready')
