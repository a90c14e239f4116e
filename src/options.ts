// One options object for the engine, whoever fills it in: the CLI's flags,
// the action's inputs and the config file all end up here, and every bad value
// is reported with the name the user typed and the values that are accepted.
import type { LoadedConfig } from './config.js'
import type { Profile } from './model/types.js'
import { PROFILES } from './model/types.js'
import type { UrlPolicy } from './net/address-policy.js'
import type { RunDeadline } from './net/deadline.js'

import type { FileScope, Shard } from './scope.js'
import { shardScope } from './scope.js'
import { isHttpUrl } from './net/http-url.js'
import type { CertIdHash, NonceMode, OcspMethod, RevocationMode } from './revocation/types.js'
import { COMMAND_LINE, DEFAULT_CONFIG_FILE, adviser, type Advise, type Shell } from './setting-names.js'

export type OutputFormat = 'text' | 'json' | 'sarif'

/** Tokens of --fail-on: revocation statuses plus lint severities. */
export const FAIL_TOKENS = [
  'revoked',
  'unknown',
  'stale',
  'invalid',
  'unreachable',
  'error',
  'warning',
] as const
export type FailToken = (typeof FAIL_TOKENS)[number]

export interface CheckOptions {
  /** Files, directories or globs to check (may be empty with endpoints or staples). */
  inputs: string[]
  cwd: string
  profile: Profile
  revocation: RevocationMode
  failOn: ReadonlySet<FailToken>
  softFail: boolean
  /** Every time judgement is made against this clock. */
  now: Date
  clockSkewMs: number
  nextUpdateMarginMs: number
  maxAgeMs: number
  expiryWarningMs: number
  expiryErrorMs: number
  timeoutMs: number
  retries: number
  concurrency: number
  /** `--deadline`: the budget of the run's network work, and the duration as the user wrote it, for messages. */
  deadline: { ms: number; label: string }
  trustFiles: string[]
  issuerFiles: string[]
  responderCertFiles: string[]
  ocspMethod: OcspMethod
  nonce: NonceMode
  hash: CertIdHash
  allowPrivateNetwork: boolean
  endpoints: string[]
  /** `--resolve HOST:PORT:ADDRESS` entries (curl's syntax), checked against the endpoints in check(). */
  resolve: string[]
  /**
   * `untrusted` when the endpoints, or the addresses --resolve gives them,
   * come from a config file (repository content): they then obey the
   * address policy of URLs from certificates.
   */
  endpointPolicy: UrlPolicy
  staples: string[]
  /** Globs of paths not to load (--exclude, config `exclude`; `!GLOB` inputs are added by discovery). */
  exclude: string[]
  /** Nothing whose real path is outside this directory is read (the action: GITHUB_WORKSPACE). */
  confineTo?: string
  cacheDir?: string
  saveEvidenceDir?: string
  crlMaxBytes: number
  /** `--crl-budget`: bytes of downloaded CRLs held at once across the run. */
  crlBudgetBytes: number
  /** The running deadline, set by check() when the run starts (not a setting). */
  runDeadline?: RunDeadline
  /** Path of the config file in use, if any (for messages). */
  configFile?: string
  /** How the user named a setting, for messages: `--trust`, input "trust" or `.certgate.yml: trust`. */
  settingName: (key: keyof RawSettings) => string
  /**
   * How the user can set a setting where certgate runs, for advice in
   * messages: `--issuer` on the command line, input "issuers" in the action,
   * the config file's key where the action has no input.
   */
  advise: Advise
  rules: RuleSettings
  /** Only these files are checked and reported (all are still loaded to complete chains). */
  scope?: FileScope
  /** --require-sct: every leaf must carry the SCTs Chrome's CT policy asks for. */
  requireSct: boolean
  /** --ct-log-list: the CT log list (v3 JSON) SCTs are verified against. */
  ctLogList?: string
  /**
   * --ari: the ACME server's renewalInfo base URL (RFC 9773), and whose it
   * is: `untrusted` when it comes from a config file, as for endpoints.
   */
  ari?: { url: string; policy: UrlPolicy }
  /**
   * Private key files (--key, input "keys", config `key`): each must belong
   * to a checked leaf (src/keys/). A key a server configuration pairs with
   * its certificate is checked against that certificate (server-key-mismatch).
   */
  keys: string[]
  /**
   * Names every leaf must cover: `--expect-name` applies to all leaves
   * (`path` absent), config `expect` entries to the leaves of files matching
   * `path` (a glob relative to cwd).
   */
  expectNames: ExpectedNames[]
  /** --server-config: nginx or Apache configurations whose named files are checked and whose stapling is linted. */
  serverConfigs: string[]
  /** --server-root: what the configurations' relative paths resolve against [each config's folder]. */
  serverRoot?: string
}

/** Names the leaves of some files (all, without `path`) must cover, else name-not-covered. */
export interface ExpectedNames {
  path?: string
  names: string[]
}

/** Per-rule severity overrides and ignores from the config file. */
export interface RuleSettings {
  severity: Record<string, 'error' | 'warning' | 'info' | 'off'>
  ignore: IgnoreEntry[]
}

export interface IgnoreEntry {
  rule?: string
  path?: string
  /** SHA-256 of the certificate, lower-case hex without colons. */
  fingerprint?: string
  reason: string
  /** 1-based line of the entry in the config file, for ignore-unused. */
  line?: number
}

/** A value the user gave that cannot be used; the shells print it and exit 2 (CLI) or fail the step (action). */
export class UsageError extends Error {
  override name = 'UsageError'
}

export const DEFAULTS = {
  profile: 'public-tls' as Profile,
  revocation: 'auto' as RevocationMode,
  failOn: 'revoked,unknown,stale,invalid,unreachable,error',
  clockSkew: '5m',
  nextUpdateMargin: '1h',
  maxAge: '7d',
  expiryWarning: '30d',
  expiryError: '7d',
  timeout: '10s',
  retries: 2,
  concurrency: 8,
  deadline: '15m',
  crlBudget: '512MiB',
  ocspMethod: 'auto' as OcspMethod,
  nonce: 'auto' as NonceMode,
  hash: 'sha1' as CertIdHash,
  crlMaxBytes: 100 * 1024 * 1024,
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** DUR: a number with s, m, h or d ("90s", "1.5h", "7d"); `positive` refuses one that rounds to 0 ms. */
export function parseDuration(name: string, value: string, { positive = false } = {}): number {
  const match = /^(\d+(?:\.\d+)?)\s*([smhd])$/.exec(value.trim())
  if (!match)
    throw new UsageError(
      `${name}: "${value}" is not a duration; use a number with s, m, h or d (e.g. 10s, 5m, 7d)`,
    )
  const ms = Math.round(Number(match[1]) * UNIT_MS[match[2]])
  if (positive && ms === 0) throw new UsageError(`${name}: "${value}" is no time at all; give more than 0`)
  return ms
}

const UNIT_BYTES: Record<string, number> = { b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 }

/** SIZE: a number with B, KiB, MiB or GiB ("512MiB", "1.5GiB"); at least `min` bytes. */
export function parseSize(name: string, value: string, min = 1): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kib|mib|gib)$/i.exec(value.trim())
  if (!match)
    throw new UsageError(
      `${name}: "${value}" is not a size; use a number with B, KiB, MiB or GiB (e.g. 512MiB, 2GiB)`,
    )
  const bytes = Math.round(Number(match[1]) * UNIT_BYTES[match[2].toLowerCase()])
  if (bytes < min) throw new UsageError(`${name}: "${value}" is too small; give at least ${min} bytes`)
  return bytes
}

export function parseChoice<T extends string>(name: string, value: string, choices: readonly T[]): T {
  const v = value.trim() as T
  if (!choices.includes(v)) throw new UsageError(`${name}: "${value}" is not one of ${choices.join(', ')}`)
  return v
}

export function parseInteger(name: string, value: string, min: number, max: number): number {
  const v = value.trim()
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new UsageError(`${name}: "${value}" is not a whole number from ${min} to ${max}`)
  }
  return Number(v)
}

export function parseBoolean(name: string, value: string): boolean {
  const v = value.trim().toLowerCase()
  if (['true', 'yes', '1', 'on'].includes(v)) return true
  if (['false', 'no', '0', 'off', ''].includes(v)) return false
  throw new UsageError(`${name}: "${value}" is not true or false`)
}

export function parseFailOn(name: string, value: string | readonly string[]): Set<FailToken> {
  const tokens = (typeof value === 'string' ? value.split(',') : value).map((t) => t.trim()).filter(Boolean)
  const bad = tokens.filter((t) => !(FAIL_TOKENS as readonly string[]).includes(t))
  if (bad.length > 0) {
    throw new UsageError(
      `${name}: ${bad.map((b) => `"${b}"`).join(', ')} not accepted; use a comma-separated list of ${FAIL_TOKENS.join(', ')}`,
    )
  }
  return new Set(tokens as FailToken[])
}

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i

/**
 * `--now`: a date (midnight UTC) or a date and time with its zone (Z or an
 * offset). Stricter than `new Date()`, which rolls 2026-02-30 over to March 2
 * and reads a time without a zone in the local zone of whatever machine runs
 * the gate, so the same pipeline would judge differently on another runner.
 */
export function parseNow(name: string, value: string): Date {
  const text = value.trim()
  const bad = (why: string) =>
    new UsageError(
      `${name}: "${value}" ${why} (e.g. 2026-11-21, 2026-11-21T12:00:00Z or 2026-11-21T12:00+02:00)`,
    )
  const match = ISO_INSTANT.exec(text)
  if (!match) throw bad('is not an ISO-8601 date or time')
  const [, year, month, day, hour, minute, second = '0', fraction = '', zone] = match
  if (hour !== undefined && zone === undefined) throw bad('has no time zone; add Z for UTC or an offset')
  const fields = [year, month, day, hour ?? '0', minute ?? '0', second].map(Number)
  const [y, mo, d, h, mi, sec] = fields
  // Date.UTC rolls overflow into the next field: a field that reads back differently did not exist.
  const utc = new Date(Date.UTC(y, mo - 1, d, h, mi, sec))
  const readBack = [
    utc.getUTCFullYear(),
    utc.getUTCMonth() + 1,
    utc.getUTCDate(),
    utc.getUTCHours(),
    utc.getUTCMinutes(),
    utc.getUTCSeconds(),
  ]
  if (readBack.some((v, i) => v !== fields[i])) throw bad('is not a date or time that exists')
  const offset = /^([+-])(\d{2}):?(\d{2})$/.exec(zone ?? '')
  if (offset && (Number(offset[2]) > 23 || Number(offset[3]) > 59))
    throw bad('has an offset that does not exist')
  const offsetMs = offset
    ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) * 60_000
    : 0
  return new Date(utc.getTime() + Math.round(Number(`0${fraction}`) * 1000) - offsetMs)
}

/** An absolute http: or https: URL. */
export function parseHttpUrl(name: string, value: string): string {
  const v = value.trim()
  if (!isHttpUrl(v))
    throw new UsageError(
      `${name}: "${value}" is not an http or https URL (e.g. https://acme.example/renewal-info)`,
    )
  return v
}

/** `K/N` with 1 ≤ K ≤ N ≤ 1024. */
export function parseShard(name: string, value: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value)
  const index = Number(match?.[1])
  const count = Number(match?.[2])
  if (!match || count < 1 || count > 1024 || index < 1 || index > count) {
    throw new UsageError(
      `${name}: "${value}" is not K/N with 1 ≤ K ≤ N ≤ 1024 (e.g. 2/4 for the second of four)`,
    )
  }
  return { index, count }
}

export const parseProfile = (name: string, value: string): Profile => parseChoice(name, value, PROFILES)

/** Settings common to CLI flags, action inputs and config keys, named as the user writes them. */
export interface RawSettings {
  profile?: string
  revocation?: string
  'fail-on'?: string | string[]
  'soft-fail'?: string | boolean
  now?: string
  'clock-skew'?: string
  'next-update-margin'?: string
  'max-age'?: string
  'expiry-warning'?: string
  'expiry-error'?: string
  timeout?: string
  retries?: string | number
  concurrency?: string | number
  deadline?: string
  'crl-budget'?: string
  trust?: string | string[]
  issuer?: string | string[]
  'responder-cert'?: string | string[]
  'ocsp-method'?: string
  nonce?: string
  hash?: string
  'allow-private-network'?: string | boolean
  endpoint?: string | string[]
  resolve?: string | string[]
  staple?: string | string[]
  'cache-dir'?: string
  'save-evidence'?: string
  'crl-max-size'?: string | number
  shard?: string
  exclude?: string | string[]
  'require-sct'?: string | boolean
  'ct-log-list'?: string
  ari?: string
  key?: string | string[]
  'expect-name'?: string | string[]
  'server-config'?: string | string[]
  'server-root'?: string
}

const list = (v: string | string[] | undefined): string[] =>
  v === undefined
    ? []
    : (Array.isArray(v) ? v : [v])
        .flatMap((s) => s.split('\n'))
        .map((s) => s.trim())
        .filter(Boolean)

const bool = (name: string, v: string | boolean | undefined): boolean =>
  typeof v === 'boolean' ? v : v === undefined ? false : parseBoolean(name, v)

/**
 * Turns user settings into engine options: `given` (flags or action inputs)
 * win over the config file key by key, except `exclude`, where both apply.
 * `shell` names a setting the way the user writes it (`--timeout` on the
 * command line, input "timeout" in the action); one the config file set, or
 * one the shell cannot set, is named by the file and key.
 */
export function resolveOptions(
  given: RawSettings,
  base: { inputs: string[]; cwd: string; config?: LoadedConfig; confineTo?: string },
  shell: Shell = COMMAND_LINE,
): CheckOptions {
  const fromConfig = base.config?.settings ?? {}
  const raw: RawSettings = { ...fromConfig, ...given }
  // A bad value is named where the user can fix it: the config file and key, or the flag or input.
  const configName = base.config?.name
  const describe = (key: keyof RawSettings): string =>
    (configName && key in fromConfig && !(key in given) ? undefined : shell.name(key)) ??
    `${configName ?? DEFAULT_CONFIG_FILE}: ${key}`
  const str = (key: keyof RawSettings, fallback: string | number): string => {
    const v = raw[key]
    return v === undefined || v === '' ? String(fallback) : String(v)
  }
  const expiryWarningMs = parseDuration(
    describe('expiry-warning'),
    str('expiry-warning', DEFAULTS.expiryWarning),
  )
  const expiryErrorMs = parseDuration(describe('expiry-error'), str('expiry-error', DEFAULTS.expiryError))
  // expires-soon errors inside the error window and warns inside the warning window: one must hold the other.
  if (expiryErrorMs >= expiryWarningMs) {
    throw new UsageError(
      `${describe('expiry-error')} (${str('expiry-error', DEFAULTS.expiryError)}) must be shorter than ` +
        `${describe('expiry-warning')} (${str('expiry-warning', DEFAULTS.expiryWarning)}): a certificate ` +
        'is first a warning, then an error, as its expiry nears',
    )
  }
  return {
    inputs: base.inputs,
    cwd: base.cwd,
    profile: parseProfile(describe('profile'), str('profile', DEFAULTS.profile)),
    revocation: parseChoice(describe('revocation'), str('revocation', DEFAULTS.revocation), [
      'auto',
      'ocsp',
      'crl',
      'off',
    ] as const),
    failOn: parseFailOn(
      describe('fail-on'),
      raw['fail-on'] === undefined || raw['fail-on'] === '' ? DEFAULTS.failOn : raw['fail-on'],
    ),
    softFail: bool(describe('soft-fail'), raw['soft-fail']),
    now: raw.now ? parseNow(describe('now'), raw.now) : new Date(),
    clockSkewMs: parseDuration(describe('clock-skew'), str('clock-skew', DEFAULTS.clockSkew)),
    nextUpdateMarginMs: parseDuration(
      describe('next-update-margin'),
      str('next-update-margin', DEFAULTS.nextUpdateMargin),
    ),
    maxAgeMs: parseDuration(describe('max-age'), str('max-age', DEFAULTS.maxAge)),
    expiryWarningMs,
    expiryErrorMs,
    timeoutMs: parseDuration(describe('timeout'), str('timeout', DEFAULTS.timeout), { positive: true }),
    retries: parseInteger(describe('retries'), str('retries', DEFAULTS.retries), 0, 10),
    concurrency: parseInteger(describe('concurrency'), str('concurrency', DEFAULTS.concurrency), 1, 256),
    deadline: {
      ms: parseDuration(describe('deadline'), str('deadline', DEFAULTS.deadline), { positive: true }),
      label: str('deadline', DEFAULTS.deadline).trim(),
    },
    trustFiles: list(raw.trust),
    issuerFiles: list(raw.issuer),
    responderCertFiles: list(raw['responder-cert']),
    ocspMethod: parseChoice(describe('ocsp-method'), str('ocsp-method', DEFAULTS.ocspMethod), [
      'auto',
      'post',
      'get',
    ] as const),
    nonce: parseChoice(describe('nonce'), str('nonce', DEFAULTS.nonce), ['auto', 'require', 'off'] as const),
    hash: parseChoice(describe('hash'), str('hash', DEFAULTS.hash), ['sha1', 'sha256'] as const),
    allowPrivateNetwork: bool(describe('allow-private-network'), raw['allow-private-network']),
    endpoints: list(raw.endpoint),
    resolve: list(raw.resolve),
    endpointPolicy: (['endpoint', 'resolve'] as const).some(
      (key) => given[key] === undefined && fromConfig[key] !== undefined,
    )
      ? 'untrusted'
      : 'user',
    staples: list(raw.staple),
    exclude: [...list(fromConfig.exclude), ...list(given.exclude)],
    ...(base.confineTo ? { confineTo: base.confineTo } : {}),
    cacheDir: raw['cache-dir'] || undefined,
    saveEvidenceDir: raw['save-evidence'] || undefined,
    crlMaxBytes:
      parseInteger(
        describe('crl-max-size'),
        str('crl-max-size', DEFAULTS.crlMaxBytes / 1024 / 1024),
        1,
        4096,
      ) *
      1024 *
      1024,
    crlBudgetBytes: parseSize(describe('crl-budget'), str('crl-budget', DEFAULTS.crlBudget)),
    configFile: base.config?.file,
    settingName: describe,
    advise: adviser(shell, configName),
    rules: base.config?.rules ?? { severity: {}, ignore: [] },
    ...(raw.shard ? { scope: shardScope(parseShard(describe('shard'), raw.shard)) } : {}),
    requireSct: bool(describe('require-sct'), raw['require-sct']),
    ctLogList: raw['ct-log-list'] || undefined,
    keys: list(raw.key),
    expectNames: [
      ...(base.config?.expect ?? []),
      ...(list(raw['expect-name']).length ? [{ names: list(raw['expect-name']) }] : []),
    ],
    serverConfigs: list(raw['server-config']),
    ...(raw['server-root'] ? { serverRoot: raw['server-root'] } : {}),
    ...(raw.ari
      ? {
          ari: {
            url: parseHttpUrl(describe('ari'), raw.ari),
            policy: given.ari === undefined ? ('untrusted' as const) : ('user' as const),
          },
        }
      : {}),
  }
}
