// nginx and Apache httpd as operators run them, started by a test from a
// configuration it wrote (in its temp folder, listening on 127.0.0.1 only),
// and the stapling probe the issue asks for: `openssl s_client -status`.
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { spawnServer, type ServerProcess } from './processes.js'

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

/** The lines every test Apache configuration needs (modules, pid file, logs in `dir`, the listener). */
export const apachePreamble = (dir: string, port: number): string => `ServerRoot ${dir}
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule socache_shmcb_module /usr/lib/apache2/modules/mod_socache_shmcb.so
LoadModule ssl_module /usr/lib/apache2/modules/mod_ssl.so
User daemon
Group daemon
PidFile ${dir}/httpd.pid
ErrorLog ${dir}/apache-error.log
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
