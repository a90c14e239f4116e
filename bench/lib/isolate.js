// The bench's peers listen on loopback, but `openssl ocsp -port` cannot be
// told an address: it listens on every interface for as long as a scenario
// runs. On Linux the bench therefore re-runs itself in a network namespace of
// its own (`unshare -rn`, loopback only), where nothing outside the machine
// can reach its responders and nothing it sends can leave. Where that is not
// possible (no user namespaces, no `ip`) it runs as before and says so.
import { spawnSync } from 'node:child_process'

const MARK = 'CERTGATE_BENCH_NETNS'
const SCRIPT = 'ip link set lo up && exec "$0" "$@"'

/**
 * Where the run's network is: 'namespace' inside its own namespace, 'host'
 * when one could not be made (with the reason). When `reexec` is true the
 * caller must stop: the whole bench ran in a child with `status`.
 * @returns {{ reexec: true, status: number } | { reexec: false, network: string }}
 */
export function isolateNetwork() {
  if (process.env[MARK] === '1') return { reexec: false, network: 'namespace' }
  if (process.env[MARK] === '0') return { reexec: false, network: 'host (CERTGATE_BENCH_NETNS=0)' }
  const why = cannotIsolate()
  if (why) return { reexec: false, network: `host (${why})` }
  const child = spawnSync(
    'unshare',
    ['-rn', 'sh', '-c', SCRIPT, process.execPath, ...process.argv.slice(1)],
    {
      stdio: 'inherit',
      env: { ...process.env, [MARK]: '1' },
    },
  )
  return { reexec: true, status: child.status ?? 1 }
}

/** Why no namespace can be made here, or undefined when one can. */
function cannotIsolate() {
  if (process.platform !== 'linux') return `${process.platform} has no network namespaces`
  const probe = spawnSync('unshare', ['-rn', 'sh', '-c', 'ip link set lo up'], { encoding: 'utf8' })
  if (probe.error) return `unshare: ${probe.error.message}`
  if (probe.status !== 0) return `unshare -rn failed: ${probe.stderr.trim().split('\n')[0]}`
  return undefined
}

/** The line the results file carries about it. */
export function networkNote(network) {
  return network === 'namespace'
    ? 'Network: the bench ran in a network namespace of its own (loopback only): its responders were reachable from nowhere else.'
    : `Network: the bench ran in the ${network.replace(/^host/, "host's network")}; \`openssl ocsp -port\` listened on every interface while its scenario ran.`
}
