// nginx and Apache httpd as operators run them, started by a test from a
// configuration it wrote (in its temp folder, listening on 127.0.0.1 only),
// and the stapling probe the issue asks for: `openssl s_client -status`.
import { execFile, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { spawnServer, stopProcess, type ServerProcess } from './processes.js'

/** nginx in the foreground, its prefix and config in `dir` (relative paths resolve against the config's folder). */
export function startNginx(dir: string, config: string, port: number): Promise<ServerProcess> {
  return spawnServer(
    '/usr/sbin/nginx',
    ['-p', dir, '-c', config, '-g', `daemon off; master_process off; pid ${join(dir, 'nginx.pid')};`],
    { cwd: dir, port },
  )
}

/** Debian's apache2 in the foreground with `-f config`; relative paths resolve against the config's ServerRoot. */
export function startApache(dir: string, config: string, port: number): Promise<ServerProcess> {
  return spawnServer('/usr/sbin/apache2', ['-f', config, '-DFOREGROUND'], { cwd: dir, port })
}

/**
 * Whether apache2 comes up on `config`, and its error log: mod_ssl refuses a
 * configuration after the listeners are bound, so a port that accepts is no
 * proof. Up means the log's AH00094 start-up line; down, that it exited.
 */
export async function apacheStartup(config: string, log: string): Promise<{ started: boolean; log: string }> {
  const child = spawn('/usr/sbin/apache2', ['-f', config, '-DFOREGROUND'], { stdio: 'ignore' })
  const server: ServerProcess = { child, pid: child.pid ?? -1, port: 0, output: () => '' }
  const read = () => {
    try {
      return readFileSync(log, 'utf8')
    } catch {
      return ''
    }
  }
  for (let waited = 0; waited < 15_000; waited += 100) {
    if (child.exitCode !== null || child.signalCode !== null) return { started: false, log: read() }
    if (read().includes('AH00094')) {
      await stopProcess(server)
      return { started: true, log: read() }
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  await stopProcess(server)
  throw new Error(`apache2 neither started nor exited in 15 s: ${read()}`)
}

/** The lines every test Apache configuration needs (modules, pid file, `name`.log in `dir`, the listener). */
export const apachePreamble = (dir: string, port: number, name = 'apache'): string => `ServerRoot ${dir}
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule socache_shmcb_module /usr/lib/apache2/modules/mod_socache_shmcb.so
LoadModule ssl_module /usr/lib/apache2/modules/mod_ssl.so
User daemon
Group daemon
PidFile ${dir}/${name}.pid
ErrorLog ${dir}/${name}.log
LogLevel info
Listen 127.0.0.1:${port}
ServerName localhost
`

/** One handshake with status_request: did the server staple a response (`openssl s_client -status`)? */
export function stapled(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'openssl',
      ['s_client', '-status', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost'],
      { timeout: 10_000 },
      (error, stdout) => {
        if (/OCSP Response Status: successful/.test(stdout)) resolve(true)
        else if (/OCSP response: no response sent/.test(stdout)) resolve(false)
        else reject(new Error(`s_client did not complete a handshake: ${error?.message ?? stdout}`))
      },
    )
    child.stdin?.end()
  })
}

/**
 * Handshakes until the server staples or `tries` handshakes are done (250 ms
 * apart): nginx and mod_ssl fetch lazily, so the first ones prime the fetch.
 */
export async function staplesAfterPriming(port: number, tries = 40): Promise<boolean> {
  for (let attempt = 0; attempt < tries; attempt++) {
    if (await stapled(port)) return true
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  return false
}
