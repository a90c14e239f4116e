// Real peers for tests (openssl s_server, nginx): started on 127.0.0.1,
// awaited until they listen, checked to listen on loopback only, and stopped
// by PID with their exit awaited, so no test leaves a process or a zombie
// behind, or opens a port to the machine's network.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { connect, createServer } from 'node:net'

export interface ServerProcess {
  child: ChildProcess
  pid: number
  port: number
  /** Everything the process wrote so far (stdout and stderr), for failure messages. */
  output(): string
}

/** A TCP port that was free on 127.0.0.1 a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

export interface SpawnServerOptions {
  port: number
  cwd?: string
  startupTimeoutMs?: number
}

/** Spawns `command` and resolves once it listens on 127.0.0.1:port, and only there. */
export async function spawnServer(
  command: string,
  args: string[],
  options: SpawnServerOptions,
): Promise<ServerProcess> {
  const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const server: ServerProcess = { child, pid: child.pid ?? -1, port: options.port, output: () => output }
  const deadline = Date.now() + (options.startupTimeoutMs ?? 10_000)
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${command} exited before listening: ${output}`)
    }
    if (await accepts(options.port)) {
      try {
        expectLoopbackOnly(options.port)
      } catch (error) {
        await stopProcess(server)
        throw error
      }
      return server
    }
    if (Date.now() > deadline) {
      await stopProcess(server)
      throw new Error(`${command} did not start listening on ${options.port}: ${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/**
 * Throws unless every listening TCP socket on `port` is bound to a loopback
 * address (`ss -ltn`): a server a test starts must not be reachable from the
 * machine's network, whatever its own defaults (`openssl s_server -accept
 * PORT` and `openssl ocsp -port` bind every interface).
 */
export function expectLoopbackOnly(port: number): void {
  const listening = execFileSync('ss', ['-Hltn', `sport = :${port}`], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((line) => line.trim().split(/\s+/)[3])
  const exposed = listening.filter((address) => !/^(127\.\d+\.\d+\.\d+|\[::1\]):\d+$/.test(address))
  if (listening.length === 0 || exposed.length > 0) {
    throw new Error(
      `port ${port} must listen on 127.0.0.1 only; ss shows ${listening.join(', ') || 'no listener'}`,
    )
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/** Sends SIGTERM to the process by PID and waits for it to exit (SIGKILL after 3 s). */
export async function stopProcess(server: ServerProcess): Promise<void> {
  const { child } = server
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  process.kill(server.pid, 'SIGTERM')
  const killer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) process.kill(server.pid, 'SIGKILL')
  }, 3000)
  await exited
  clearTimeout(killer)
}
