// Live endpoints (`--endpoint HOST[:PORT]`) in check(): the served chain
// becomes a pseudo file named `host:port`, so it is linted and checked for
// revocation exactly like a file, the served leaf must be for HOST, and the
// staple is judged like a stored response on the served leaf. An endpoint
// the user names on the command line or in the workflow is the user's
// choice, one from a config file is repository content and obeys the
// address policy of URLs from certificates; link-local and metadata
// addresses are refused for both (DESIGN "Endpoints"). `--resolve
// HOST:PORT:ADDRESS` picks the address as curl does, under the same policy.
// `--endpoint HOST[:PORT]=FILE` also names the certificate file the endpoint
// must serve: a different leaf or chain is endpoint-drift (drift.ts).
import { isIP } from 'node:net'
import type { ChainAnalysis } from '../chain/index.js'
import { hostnameMatches } from '../chain/hostname.js'
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
import { staleStapleFindings } from '../revocation/staple-file.js'
import { rule as endpointDrift } from '../rules/endpoint-drift.js'
import { rule as endpointNameMismatch } from '../rules/endpoint-name-mismatch.js'
import { rule as endpointUnreachable } from '../rules/endpoint-unreachable.js'
import type { RuleInfo } from '../rules/rule.js'
import { rule as stapleMissing } from '../rules/staple-missing.js'
import { parserMessage } from '../model/parser-message.js'
import { Incidents, injectFault, internalErrorMessage } from '../contain.js'
import type { StoredResponseVerdict } from '../revocation/staple-file.js'
import { driftMessage } from './drift.js'

export interface EndpointAddress {
  host: string
  port: number
}

/** An endpoint as the user named it: the address, and the file it must serve (`=FILE`), if any. */
export interface EndpointSpec extends EndpointAddress {
  serves?: string
}

/** One endpoint after its handshake; `file` holds the served chain when one was received. */
export interface ProbedEndpoint extends EndpointSpec {
  /** `host:port` (`[v6]:port`): the name its pseudo file and findings carry. */
  label: string
  /** The address connected to when `--resolve` named one. */
  address?: string
  probe: EndpointProbe
  file?: LoadedFile
}

const HTTPS_PORT = 443

/**
 * Reads `host`, `host:port`, `[v6]` or `[v6]:port` (RFC 3986 §3.2.2 brackets
 * an IPv6 literal so its colons are not read as a port), each optionally
 * followed by `=FILE`, the certificate file the endpoint must serve. A bare
 * IPv6 literal is taken whole. Anything else is a usage error naming the
 * setting as `option` says (`--endpoint`, input "endpoints").
 */
export function parseEndpoint(given: string, option = '--endpoint'): EndpointSpec {
  const equals = given.indexOf('=')
  const spec = equals < 0 ? given : given.slice(0, equals)
  const serves = equals < 0 ? undefined : given.slice(equals + 1).trim()
  const bad = (why: string) =>
    new UsageError(`${option}: "${given}" ${why}; use HOST[:PORT][=FILE] or [IPv6]:PORT[=FILE]`)
  if (serves === '') throw bad('names no file after =')
  const withFile = <T extends EndpointAddress>(address: T): T & EndpointSpec =>
    serves === undefined ? address : { ...address, serves }
  const bracketed = /^\[([0-9a-fA-F:.%\w]+)\](?::(\d+))?$/.exec(spec)
  const plain = /^([^:[\]\s/]+)(?::(\d+))?$/.exec(spec)
  const bareV6 = !bracketed && !plain && /^[0-9a-fA-F:]+$/.test(spec) && spec.includes('::')
  if (bareV6) return withFile({ host: spec, port: HTTPS_PORT })
  const match = bracketed ?? plain
  if (!match) throw bad('is not a host name or address')
  const port = match[2] === undefined ? HTTPS_PORT : Number(match[2])
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad('has no port from 1 to 65535')
  return withFile({ host: match[1], port })
}

const labelOf = ({ host, port }: EndpointAddress): string =>
  host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`

/** Host names compare without case or a trailing dot; addresses as written (bracketless). */
const endpointKey = ({ host, port }: EndpointAddress): string =>
  `${host.toLowerCase().replace(/\.$/, '')}:${port}`

/**
 * Reads curl's `HOST:PORT:ADDRESS` (ADDRESS an IPv4 or IPv6 literal, the
 * latter optionally in brackets): connect to ADDRESS whenever HOST:PORT is
 * asked for, while SNI and the name check still use HOST.
 */
export function parseResolve(spec: string, option = '--resolve'): EndpointAddress & { address: string } {
  const match = /^([^:[\]\s/]+):(\d+):\[?([0-9A-Fa-f:.]+)\]?$/.exec(spec.trim())
  const port = Number(match?.[2])
  if (!match || !isIP(match[3]) || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(
      `${option}: "${spec}" is not HOST:PORT:ADDRESS with a port from 1 to 65535 and an IP address (e.g. example.com:443:192.0.2.10)`,
    )
  }
  return { host: match[1], port, address: match[3] }
}

/**
 * Checks the --endpoint and --resolve values before anything connects, each
 * error naming the setting as the user gave it. Every --resolve entry must
 * name an endpoint: one that names none is a typo that would silently send
 * the check to the public address.
 */
export function checkEndpointOptions(
  options: Pick<CheckOptions, 'endpoints' | 'resolve' | 'settingName' | 'advise'>,
): void {
  const endpoints = options.endpoints.map((e) => parseEndpoint(e, options.settingName('endpoint')))
  const named = new Set(endpoints.map(endpointKey))
  for (const spec of options.resolve) {
    const entry = parseResolve(spec, options.settingName('resolve'))
    if (!named.has(endpointKey(entry)))
      throw new UsageError(
        `${options.settingName('resolve')}: "${spec}" names no ${options.advise('endpoint')} ${entry.host}:${entry.port}`,
      )
  }
}

/**
 * Connects to every endpoint concurrently (one handshake each, the timeout
 * from --timeout) and turns each served chain into a pseudo file whose
 * certificates sit at line 1 and their position in the chain as sent.
 */
export async function probeEndpoints(options: CheckOptions): Promise<ProbedEndpoint[]> {
  const resolved = new Map(
    options.resolve.map((spec) => parseResolve(spec)).map((r) => [endpointKey(r), r.address]),
  )
  return Promise.all(
    options.endpoints
      .map((given) => parseEndpoint(given))
      .map(async (endpoint) => {
        const label = labelOf(endpoint)
        const address = resolved.get(endpointKey(endpoint))
        // A bug in the probe of one endpoint is that endpoint's failure alone (endpoint-unreachable names it).
        const probe = await probeEndpoint(endpoint.host, endpoint.port, {
          timeoutMs: options.timeoutMs,
          signal: options.runDeadline?.signal,
          address,
          addresses: {
            policy: options.endpointPolicy,
            allowPrivateNetwork: options.allowPrivateNetwork,
            advise: options.advise,
          },
        }).catch((error: unknown): EndpointProbe => ({
          stapled: false,
          chain: [],
          error: internalErrorMessage('connecting to this endpoint', error),
        }))
        const probed: ProbedEndpoint = { ...endpoint, label, probe, ...(address ? { address } : {}) }
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
 * (RFC 7633 §4.2.3); a stale staple is an error (RFC 6960 §4.2.2.1). An
 * endpoint named with `=FILE` must serve that file's leaf and chain
 * (`servedFiles`, from loadServedFiles), else endpoint-drift, which names
 * the served chain's errors (`findingsByCert`) too.
 */
export async function judgeEndpoints(
  probed: readonly ProbedEndpoint[],
  chains: ChainAnalysis,
  input: {
    options: CheckOptions
    responderCerts: Cert[]
    userCerts: Cert[]
    incidents?: Incidents
    servedFiles?: ReadonlyMap<string, LoadedFile>
    findingsByCert?: ReadonlyMap<Cert, Finding[]>
  },
): Promise<EndpointReport[]> {
  const incidents = input.incidents ?? new Incidents()
  const { options } = input
  const checker = createRevocationChecker(revocationOptions(options, input.responderCerts))
  const finding = (rule: RuleInfo, message: string, mustStaple = false): Finding[] => {
    const severity = rule.severity[options.profile]
    if (!severity) return []
    return [{ rule: rule.id, severity: mustStaple ? 'error' : severity, message }]
  }

  return Promise.all(
    probed.map(async ({ host, port, label, address, probe, file, serves }) => {
      const leaf = file?.certs[0]
      const findings: Finding[] = []
      let revocation: Revocation | undefined
      if (leaf && !hostnameMatches(leaf, host))
        findings.push(...finding(endpointNameMismatch, nameMismatch(leaf, host)))
      const expected = serves === undefined ? undefined : input.servedFiles?.get(serves)
      if (file && expected) {
        const servedErrors = file.certs.flatMap((c) =>
          (input.findingsByCert?.get(c) ?? []).filter((f) => f.severity === 'error' && !f.ignored),
        )
        const drift = driftMessage(label, file.certs, expected, servedErrors)
        if (drift) findings.push(...finding(endpointDrift, drift))
      }
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
        const staple = probe.staple
        const verdict = await incidents.guardAsync(
          label,
          'judging the stapled OCSP response',
          async () => (
            injectFault('endpoint', label),
            checker.judgeStoredResponse(staple, candidates, knownIssuers)
          ),
          (error): StoredResponseVerdict => ({
            revocation: {
              source: 'staple',
              status: 'invalid',
              detail: internalErrorMessage('judging the stapled OCSP response', error),
            },
            matched: leaf,
          }),
        )
        findings.push(...incidents.of(label))
        revocation = { ...verdict.revocation, source: 'staple' }
        if (leaf && !verdict.matched) {
          revocation = {
            ...revocation,
            status: 'invalid',
            detail: `the stapled response answers for serial ${verdict.serial ?? '(none)'}, not the served leaf's ${leaf.serial}${revocation.detail ? `: ${revocation.detail}` : ''}`,
          }
        }
        findings.push(...staleStapleFindings(revocation, options.profile, 'stapled'))
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
        ...(address ? { address } : {}),
        stapled: probe.stapled,
        ...(revocation ? { revocation } : {}),
        findings: judged,
        failed: failed.length > 0,
      }
    }),
  )
}

function nameMismatch(leaf: Cert, host: string): string {
  const names = [...(leaf.san?.dns ?? []), ...(leaf.san?.ip ?? [])]
  const covers = names.length
    ? `names only ${names.join(', ')}`
    : 'has no DNS name or IP address in its subjectAltName'
  return `the served leaf ${leaf.subject} ${covers}, not ${host}: clients connecting to ${host} reject it (RFC 9525 §6)`
}
