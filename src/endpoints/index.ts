// Live endpoints (`--endpoint HOST[:PORT]`) in check(): the served chain
// becomes a pseudo file named `host:port`, so it is linted and checked for
// revocation exactly like a file, and the staple is judged like a stored
// response on the served leaf. An endpoint the user names on the command
// line or in the workflow is the user's choice, one from a config file is
// repository content and obeys the address policy of URLs from
// certificates; link-local and metadata addresses are refused for both
// (DESIGN "Endpoints").
import type { ChainAnalysis } from '../chain/index.js'
import { applyRuleSettings } from '../rules/index.js'
import type { LoadedFile } from '../load/types.js'
import { buildCert } from '../model/build.js'
import type { Cert } from '../model/cert.js'
import type { Finding, Revocation } from '../model/types.js'
import type { CheckOptions } from '../options.js'
import { UsageError } from '../options.js'
import { failureReasons } from '../policy.js'
import type { EndpointReport } from '../report/types.js'
import { revocationOptions } from '../revocation/index.js'
import { probeEndpoint, type EndpointProbe } from './probe.js'
import { createRevocationChecker } from '../revocation/checker.js'
import { rule as endpointUnreachable } from '../rules/endpoint-unreachable.js'
import type { RuleInfo } from '../rules/rule.js'
import { rule as stapleMissing } from '../rules/staple-missing.js'
import { rule as stapleStale } from '../rules/staple-stale.js'
import { parserMessage } from '../model/parser-message.js'

export interface EndpointAddress {
  host: string
  port: number
}

/** One endpoint after its handshake; `file` holds the served chain when one was received. */
export interface ProbedEndpoint extends EndpointAddress {
  /** `host:port` (`[v6]:port`): the name its pseudo file and findings carry. */
  label: string
  probe: EndpointProbe
  file?: LoadedFile
}

const HTTPS_PORT = 443

/**
 * Reads `host`, `host:port`, `[v6]` or `[v6]:port` (RFC 3986 §3.2.2 brackets
 * an IPv6 literal so its colons are not read as a port). A bare IPv6 literal
 * is taken whole. Anything else is a usage error naming the option.
 */
export function parseEndpoint(spec: string): EndpointAddress {
  const bad = (why: string) => new UsageError(`--endpoint: "${spec}" ${why}; use HOST[:PORT] or [IPv6]:PORT`)
  const bracketed = /^\[([0-9a-fA-F:.%\w]+)\](?::(\d+))?$/.exec(spec)
  const plain = /^([^:[\]\s/]+)(?::(\d+))?$/.exec(spec)
  const bareV6 = !bracketed && !plain && /^[0-9a-fA-F:]+$/.test(spec) && spec.includes('::')
  if (bareV6) return { host: spec, port: HTTPS_PORT }
  const match = bracketed ?? plain
  if (!match) throw bad('is not a host name or address')
  const port = match[2] === undefined ? HTTPS_PORT : Number(match[2])
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad('has no port from 1 to 65535')
  return { host: match[1], port }
}

const labelOf = ({ host, port }: EndpointAddress): string =>
  host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`

/**
 * Connects to every endpoint concurrently (one handshake each, the timeout
 * from --timeout) and turns each served chain into a pseudo file whose
 * certificates sit at line 1 and their position in the chain as sent.
 */
export async function probeEndpoints(options: CheckOptions): Promise<ProbedEndpoint[]> {
  const addresses = options.endpoints.map(parseEndpoint)
  return Promise.all(
    addresses.map(async (address) => {
      const label = labelOf(address)
      const probe = await probeEndpoint(address.host, address.port, {
        timeoutMs: options.timeoutMs,
        addresses: { policy: options.endpointPolicy, allowPrivateNetwork: options.allowPrivateNetwork },
      })
      const probed: ProbedEndpoint = { ...address, label, probe }
      if (probe.chain.length > 0) probed.file = servedFile(label, probe.chain)
      return probed
    }),
  )
}

function servedFile(label: string, chain: Uint8Array[]): LoadedFile {
  const file: LoadedFile = {
    file: label,
    absolutePath: label,
    kind: 'certificates',
    certs: [],
    ocspResponses: [],
    crls: [],
    findings: [],
  }
  chain.forEach((der, index) => {
    try {
      file.certs.push(buildCert(der, { file: label, line: 1, index }))
    } catch (err) {
      file.findings.push({
        rule: 'parse-error',
        severity: 'error',
        message: `served certificate #${index} could not be read: ${parserMessage(err)}`,
      })
    }
  })
  return file
}

/**
 * Judges each endpoint: an unreachable one is an error (nothing could be
 * checked); a staple is verified like a stored response and must answer for
 * the served leaf; no staple is a warning, an error under Must-Staple
 * (RFC 7633 §4.2.3); a stale staple is an error (RFC 6960 §4.2.2.1).
 */
export async function judgeEndpoints(
  probed: readonly ProbedEndpoint[],
  chains: ChainAnalysis,
  input: { options: CheckOptions; responderCerts: Cert[]; userCerts: Cert[] },
): Promise<EndpointReport[]> {
  const { options } = input
  const checker = createRevocationChecker(revocationOptions(options, input.responderCerts))
  const finding = (rule: RuleInfo, message: string, mustStaple = false): Finding[] => {
    const severity = rule.severity[options.profile]
    if (!severity) return []
    return [{ rule: rule.id, severity: mustStaple ? 'error' : severity, message }]
  }

  return Promise.all(
    probed.map(async ({ host, port, label, probe, file }) => {
      const leaf = file?.certs[0]
      const findings: Finding[] = []
      let revocation: Revocation | undefined
      if (probe.error) {
        // The probe names host:port in its message; the finding already sits on the endpoint.
        const reason = probe.error.replace(`${host}:${port}: `, '')
        findings.push(...finding(endpointUnreachable, `no TLS handshake: ${reason}`))
      } else if (probe.staple) {
        const knownIssuers = [
          ...input.userCerts,
          ...(file?.certs.filter((c) => c.basicConstraints?.ca) ?? []),
        ]
        const candidates = leaf ? [{ cert: leaf, issuer: chains.of(leaf).issuer }] : []
        const verdict = await checker.judgeStoredResponse(probe.staple, candidates, knownIssuers)
        revocation = { ...verdict.revocation, source: 'staple' }
        if (leaf && !verdict.matched) {
          revocation = {
            ...revocation,
            status: 'invalid',
            detail: `the stapled response answers for serial ${verdict.serial ?? '(none)'}, not the served leaf's ${leaf.serial}${revocation.detail ? `: ${revocation.detail}` : ''}`,
          }
        }
        if (revocation.status === 'stale') {
          findings.push(
            ...finding(
              stapleStale,
              `the stapled OCSP response is stale (nextUpdate ${revocation.nextUpdate ?? 'absent'}${revocation.detail ? `: ${revocation.detail}` : ''}); the server is not refreshing it`,
            ),
          )
        }
      } else {
        const mustStaple = leaf?.mustStaple ?? false
        findings.push(
          ...finding(
            stapleMissing,
            mustStaple
              ? 'no stapled OCSP response, and the leaf is Must-Staple (RFC 7633): clients that honour it reject this handshake'
              : 'no stapled OCSP response: clients must ask the responder themselves, or go without revocation status',
            mustStaple,
          ),
        )
      }
      const judged = applyRuleSettings(findings, options.rules, { file: label, sha256: leaf?.sha256 })
      const failed = failureReasons(
        { failOn: options.failOn, softFail: options.softFail },
        judged,
        revocation,
      )
      return {
        host,
        port,
        stapled: probe.stapled,
        ...(revocation ? { revocation } : {}),
        findings: judged,
        failed: failed.length > 0,
      }
    }),
  )
}
