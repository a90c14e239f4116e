// .certgate.yml: the same keys as the command-line options, plus per-rule
// severities and ignores, so a team can adopt certgate on a repository with
// known, accepted findings. Every ignore needs a reason; the report shows it.
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { yaml } from './model/libraries.js'
import type { ExpectedNames, IgnoreEntry, RawSettings, RuleSettings } from './options.js'
import { didYouMean } from './did-you-mean.js'
import { UsageError } from './options.js'
import { DEFAULT_CONFIG_FILE } from './setting-names.js'

export { DEFAULT_CONFIG_FILE }

export interface LoadedConfig {
  file?: string
  /** The file as the user named it (or .certgate.yml), as messages show it. */
  name?: string
  settings: RawSettings
  rules: RuleSettings
  /** `expect: [{path, names}]`: names the leaves of the files matching path must cover. */
  expect?: ExpectedNames[]
}

const SETTING_KEYS = new Set<keyof RawSettings>([
  'profile',
  'revocation',
  'fail-on',
  'soft-fail',
  'now',
  'clock-skew',
  'next-update-margin',
  'max-age',
  'expiry-warning',
  'expiry-error',
  'timeout',
  'retries',
  'concurrency',
  'deadline',
  'crl-budget',
  'trust',
  'issuer',
  'responder-cert',
  'ocsp-method',
  'nonce',
  'hash',
  'allow-private-network',
  'endpoint',
  'resolve',
  'staple',
  'cache-dir',
  'save-evidence',
  'crl-max-size',
  'exclude',
  'require-sct',
  'ct-log-list',
  'ari',
  'key',
  'expect-name',
  'server-config',
  'server-root',
])

const SEVERITIES = ['error', 'warning', 'info', 'off'] as const

/**
 * Reads the config file named by the user, or .certgate.yml in cwd when
 * present. A named file that is missing, or any key or value that is not
 * understood, is a usage error naming the file and the key. `option` is how
 * the shell names the setting that chose the file (`--config`, input "config").
 */
export function loadConfig(
  cwd: string,
  explicit: string | undefined,
  knownRules: ReadonlySet<string>,
  option = '--config',
): LoadedConfig {
  const file = configPath(cwd, explicit)
  if (!existsSync(file)) {
    if (explicit) throw new UsageError(`${option}: ${explicit} does not exist`)
    return NO_CONFIG
  }
  return parseConfig(readFileSync(file, 'utf8'), { where: explicit ?? DEFAULT_CONFIG_FILE, file }, knownRules)
}

export const NO_CONFIG: LoadedConfig = { settings: {}, rules: { severity: {}, ignore: [] } }

/** Where the config file is: the one named, else .certgate.yml in cwd. */
export const configPath = (cwd: string, explicit: string | undefined): string =>
  resolve(cwd, explicit ?? DEFAULT_CONFIG_FILE)

/**
 * A config file's text (from disk, or from git history for the action's
 * config-source: base) to settings; `where` names it in messages.
 */
export function parseConfig(
  text: string,
  source: { where: string; file: string },
  knownRules: ReadonlySet<string>,
): LoadedConfig {
  const { where, file } = source
  let doc: unknown
  // Lines of the ignore entries, so a finding about one (ignore-unused) points at it.
  let ignoreLines: (number | undefined)[] = []
  try {
    const { isSeq, LineCounter, parseDocument } = yaml()
    const lineCounter = new LineCounter()
    const parsed = parseDocument(text, { lineCounter })
    if (parsed.errors.length) throw parsed.errors[0]
    doc = parsed.toJS()
    const ignores = parsed.get('ignore', true)
    if (isSeq(ignores))
      ignoreLines = ignores.items.map((item) => {
        const offset = (item as { range?: [number] }).range?.[0]
        return offset === undefined ? undefined : lineCounter.linePos(offset).line
      })
  } catch (err) {
    throw new UsageError(`${where}: not valid YAML (${(err as Error).message.split('\n')[0]})`)
  }
  if (doc === null || doc === undefined)
    return { file, name: where, settings: {}, rules: { severity: {}, ignore: [] } }
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new UsageError(`${where}: expected a mapping of settings`)

  const settings: RawSettings = {}
  const rules: RuleSettings = { severity: {}, ignore: [] }
  let expect: ExpectedNames[] | undefined
  let endpoints: string[] = []
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    if (key === 'rules') rules.severity = readSeverities(where, value, knownRules)
    else if (key === 'ignore') rules.ignore = readIgnores(where, value, knownRules, ignoreLines)
    else if (key === 'expect') expect = readExpect(where, value)
    else if (key === 'endpoints') endpoints = readEndpoints(where, value)
    else if (SETTING_KEYS.has(key as keyof RawSettings)) {
      ;(settings as Record<string, unknown>)[key] = Array.isArray(value) ? value.map(String) : String(value)
    } else {
      throw new UsageError(
        `${where}: unknown key "${key}"${didYouMean(key, [...SETTING_KEYS, ...STRUCTURED_KEYS])}; keys are option names without the dashes (fail-on, profile, …), ${STRUCTURED_KEYS.map((k) => `"${k}"`).join(', ')}`,
      )
    }
  }
  if (endpoints.length) {
    const given = settings.endpoint
    settings.endpoint = [...(given === undefined ? [] : Array.isArray(given) ? given : [given]), ...endpoints]
  }
  return { file, name: where, settings, rules, ...(expect ? { expect } : {}) }
}

/**
 * `endpoints: [{host: HOST[:PORT], serves: FILE}]` (or plain `HOST[:PORT]`
 * strings): the same as `endpoint` entries `HOST[:PORT]=FILE`, spelt out for
 * a scheduled drift check.
 */
function readEndpoints(where: string, value: unknown): string[] {
  if (!Array.isArray(value))
    throw new UsageError(`${where}: "endpoints" must be a list of {host: HOST[:PORT], serves: FILE}`)
  return value.map((entry, i) => {
    const at = `${where}: endpoints[${i}]`
    if (typeof entry === 'string') return entry
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw new UsageError(`${at}: expected HOST[:PORT] or a mapping with host and serves`)
    const e = entry as Record<string, unknown>
    onlyKeys(at, e, ['host', 'serves'])
    if (typeof e.host !== 'string' || e.host.trim() === '')
      throw new UsageError(`${at}: "host" must be HOST[:PORT]`)
    if (e.serves !== undefined && (typeof e.serves !== 'string' || e.serves.trim() === ''))
      throw new UsageError(`${at}: "serves" must be the certificate file the endpoint must serve`)
    return e.serves === undefined ? e.host.trim() : `${e.host.trim()}=${e.serves.trim()}`
  })
}

/** Refuses a key of a list entry's mapping that is not one of `keys`, naming the closest one. */
function onlyKeys(at: string, entry: Record<string, unknown>, keys: readonly string[]): void {
  const unknown = Object.keys(entry).find((k) => !keys.includes(k))
  if (unknown !== undefined)
    throw new UsageError(`${at}: unknown key "${unknown}"${didYouMean(unknown, keys)} (${keys.join(', ')})`)
}

/** Keys of the config file that are not option names: they hold lists of mappings. */
const STRUCTURED_KEYS = ['rules', 'ignore', 'expect', 'endpoints']

/**
 * `expect: [{path: GLOB, names: [..]}]`: the leaves of the files matching
 * path must cover every name (name-not-covered). A path is required: names
 * for every leaf are `expect-name`.
 */
function readExpect(where: string, value: unknown): ExpectedNames[] {
  if (!Array.isArray(value))
    throw new UsageError(`${where}: "expect" must be a list of {path: GLOB, names: [NAME, …]}`)
  return value.map((entry, i) => {
    const at = `${where}: expect[${i}]`
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw new UsageError(`${at}: expected a mapping with path and names`)
    const e = entry as Record<string, unknown>
    onlyKeys(at, e, ['path', 'names'])
    if (typeof e.path !== 'string' || e.path.trim() === '')
      throw new UsageError(`${at}: "path" must be a glob of the certificate files the names apply to`)
    const names = typeof e.names === 'string' ? [e.names] : e.names
    if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string' || !n.trim()))
      throw new UsageError(`${at}: "names" must be a list of host names or IP addresses`)
    return { path: e.path.trim(), names: names.map((n: string) => n.trim()) }
  })
}

function readSeverities(
  where: string,
  value: unknown,
  knownRules: ReadonlySet<string>,
): RuleSettings['severity'] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${where}: "rules" must map rule ids to error, warning, info or off`)
  }
  const out: RuleSettings['severity'] = {}
  for (const [rule, sev] of Object.entries(value)) {
    if (!knownRules.has(rule)) throw new UsageError(`${where}: rules.${rule}: no such rule`)
    if (!SEVERITIES.includes(sev as (typeof SEVERITIES)[number])) {
      throw new UsageError(`${where}: rules.${rule}: "${String(sev)}" is not one of ${SEVERITIES.join(', ')}`)
    }
    out[rule] = sev as (typeof SEVERITIES)[number]
  }
  return out
}

/** A SHA-256 fingerprint as reports show it (64 hex digits), or with colons between the octets. */
const SHA256_FINGERPRINT = /^(?:[0-9a-f]{64}|[0-9a-f]{2}(?::[0-9a-f]{2}){31})$/i

function readIgnores(
  where: string,
  value: unknown,
  knownRules: ReadonlySet<string>,
  lines: readonly (number | undefined)[],
): IgnoreEntry[] {
  if (!Array.isArray(value)) throw new UsageError(`${where}: "ignore" must be a list`)
  return value.map((entry, i) => {
    const at = `${where}: ignore[${i}]`
    if (typeof entry !== 'object' || entry === null) throw new UsageError(`${at}: expected a mapping`)
    const e = entry as Record<string, unknown>
    const unknownKeys = Object.keys(e).filter((k) => !['rule', 'path', 'fingerprint', 'reason'].includes(k))
    if (unknownKeys.length)
      throw new UsageError(`${at}: unknown key "${unknownKeys[0]}" (rule, path, fingerprint, reason)`)
    if (typeof e.reason !== 'string' || e.reason.trim() === '') {
      throw new UsageError(`${at}: every ignore needs a "reason" saying why the finding is accepted`)
    }
    if (e.rule === undefined && e.path === undefined && e.fingerprint === undefined) {
      throw new UsageError(`${at}: name at least one of rule, path or fingerprint`)
    }
    if (e.rule !== undefined && !knownRules.has(String(e.rule)))
      throw new UsageError(`${at}: no such rule "${String(e.rule)}"`)
    const fingerprint = e.fingerprint === undefined ? undefined : String(e.fingerprint).trim()
    // A SHA-1 fingerprint or a prefix would be accepted and never match anything.
    if (fingerprint !== undefined && !SHA256_FINGERPRINT.test(fingerprint))
      throw new UsageError(
        `${at}.fingerprint: "${fingerprint}" is not a full SHA-256 fingerprint; give all 64 hex digits (colons between octets allowed), as the report's sha256 shows`,
      )
    return {
      rule: e.rule === undefined ? undefined : String(e.rule),
      path: e.path === undefined ? undefined : String(e.path),
      fingerprint: fingerprint?.toLowerCase().replace(/:/g, ''),
      reason: e.reason.trim(),
      ...(lines[i] !== undefined ? { line: lines[i] } : {}),
    }
  })
}
