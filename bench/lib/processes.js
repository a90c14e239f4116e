// Local peers for the bench (the openssl OCSP responder): started on
// 127.0.0.1, awaited until they say they listen, stopped by PID with their
// exit awaited, so a bench run leaves no process behind.
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'

/** A TCP port that was free on 127.0.0.1 a moment ago (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/**
 * @typedef {object} Peer
 * @property {import('node:child_process').ChildProcess} child
 * @property {() => string} output   everything it wrote so far (stdout and stderr)
 * @property {() => Promise<void>} stop
 */

/**
 * Spawns `command` and resolves once its output shows `readyText`. No port
 * probe: an empty connection counts as a malformed request to `openssl ocsp`,
 * which can make the single-process responder exit (STACK-NOTES §8).
 * @returns {Promise<Peer>}
 */
export async function startPeer(command, args, { cwd, readyText, startupTimeoutMs = 10_000 }) {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const peer = { child, output: () => output, stop: () => stopChild(child, exited) }
  const deadline = Date.now() + startupTimeoutMs
  while (!output.includes(readyText)) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${command} exited before it was ready: ${output}`)
    if (Date.now() > deadline) {
      await peer.stop()
      throw new Error(`${command} was not ready within ${startupTimeoutMs} ms: ${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return peer
}

/** SIGTERM by PID, SIGKILL after 3 s (a wedged openssl responder ignores SIGTERM), exit awaited. */
async function stopChild(child, exited) {
  if (child.exitCode !== null || child.signalCode !== null) return
  process.kill(child.pid, 'SIGTERM')
  const killer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL')
  }, 3000)
  await exited
  clearTimeout(killer)
}
