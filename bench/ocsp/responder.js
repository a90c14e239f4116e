// The local OCSP responder the scenario measures against: `openssl ocsp` on
// 127.0.0.1, answering from the bench PKI's index, signed by the issuing CA
// itself. It logs "Received request" on stderr (unbuffered) once per request,
// which is how the bench counts the requests that reached it.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { startPeer } from '../lib/processes.js'

const RECEIVED = /Received request/g

/**
 * Starts the responder on `port` (the port the leaves' AIA names).
 * `withoutCerts` leaves the signer's certificate out of each response
 * (-resp_no_certs): the `ocsp` package checks an embedded certificate against
 * the issuer's own key, so it fails on the issuer's certificate.
 * @param {import('../lib/pki.js').BenchPki} pki
 * @returns {Promise<{ stop: () => Promise<void>, requests: () => number, cpuMs: () => number | undefined }>}
 */
export async function startResponder(pki, port, { withoutCerts = false } = {}) {
  const peer = await startPeer(
    'openssl',
    [
      'ocsp',
      ...['-index', pki.index, '-port', String(port)],
      ...['-rsigner', pki.issuer, '-rkey', pki.issuerKey, '-CA', pki.issuer],
      // nextUpdate a day ahead: fresh enough for --cache-dir to reuse every answer.
      ...['-ndays', '1'],
      ...(withoutCerts ? ['-resp_no_certs'] : []),
    ],
    { cwd: pki.dir, readyText: 'waiting for OCSP client connections' },
  )
  return {
    stop: peer.stop,
    requests: () => peer.output().match(RECEIVED)?.length ?? 0,
    cpuMs: () => cpuMsOf(peer.child.pid),
  }
}

let clockTicks
/**
 * CPU time (user + system) a process has used so far, from /proc on Linux;
 * undefined elsewhere. It tells whether the responder or its client is what
 * limits a run.
 */
function cpuMsOf(pid) {
  try {
    // Fields after the command name: utime and stime are the 12th and 13th (proc(5)).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim())
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks
  } catch {
    return undefined
  }
}
