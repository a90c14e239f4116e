// Replay and rollback detection across runs that share --cache-dir. A CRL
// number only ever grows for one issuer and scope (RFC 5280 §5.2.3), and a
// responder's producedAt only moves forward, so once a run has verified a
// CRL numbered 0x40 or a response produced at T, a later CRL numbered 0x20 or
// a response produced before T is an old signed answer served again: a
// mirror or cache stuck in the past, or someone replaying a CRL from before a
// revocation. The signature still verifies, which is why only memory catches it.
//
// The memory is one JSON file beside the cached bodies. Nothing in it is
// trusted for a verdict except as a floor; a run loads it once, keeps what it
// sees in memory, and at the end merges with whatever another job wrote
// meanwhile (the highest number and newest time win), written through a
// rename so a reader never sees half a file.
import { createHash } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Cert } from '../model/cert.js'
import { writeFileAtomic } from './cache.js'

/** The highest value seen under one key, and when it was first seen. */
interface Mark {
  /** CRL: cRLNumber as lower-case hex without leading zeros; OCSP: producedAt as ISO time. */
  value: string
  seenAt: string
}

type Kind = 'crl' | 'ocsp'

/** CRL marks are keyed by `<issuer id> <distribution point URL>`, OCSP marks by certificate SHA-256. */
type State = { version: 1 } & Record<Kind, Record<string, Mark>>

/** How values of each kind are ordered, and which stored values are well-formed. */
const ORDER: Record<Kind, { rank: (value: string) => bigint; valid: (value: string) => boolean }> = {
  crl: { rank: (hex) => BigInt(`0x${hex || '0'}`), valid: (v) => /^[0-9a-f]+$/.test(v) },
  ocsp: { rank: (iso) => BigInt(Date.parse(iso)), valid: (v) => !Number.isNaN(Date.parse(v)) },
}

export const ROLLBACK_STATE_FILE = 'rollback-state.json'

const empty = (): State => ({ version: 1, crl: {}, ocsp: {} })

/** A CA is its name and its key (RFC 5280 §6.1.1 (d)): a reissued CA certificate keeps its CRL sequence. */
function crlKey(issuer: Cert, url: string): string {
  return `${createHash('sha256').update(issuer.subjectKey).update(issuer.spki).digest('hex')} ${url}`
}

const showNumber = (hex: string): string => `0x${ORDER.crl.rank(hex).toString(16)}`

export class RollbackGuard {
  private state?: Promise<State>
  /** What this run saw, merged into the file by save(). */
  private readonly seen = empty()

  constructor(private readonly dir: string) {}

  /**
   * Records a verified CRL's number for (issuer, url), or returns why the CRL
   * must not be believed: its number is lower than one already seen there.
   * A CRL without a number cannot be ordered and is let through.
   */
  async checkCrl(
    issuer: Cert,
    url: string,
    crlNumber: string | undefined,
    now: Date,
  ): Promise<string | undefined> {
    if (crlNumber === undefined) return undefined
    const known = await this.observe('crl', crlKey(issuer, url), crlNumber, now)
    return (
      known &&
      `CRL number ${showNumber(crlNumber)} is lower than ${showNumber(known.value)} seen at ${known.seenAt}: ` +
        'a replayed or rolled-back CRL'
    )
  }

  /**
   * Records the producedAt of a verified OCSP response about `cert`, or
   * returns why it must not be believed: one produced later was already seen.
   */
  async checkOcsp(cert: Cert, producedAt: string | undefined, now: Date): Promise<string | undefined> {
    if (producedAt === undefined) return undefined
    const known = await this.observe('ocsp', cert.sha256, producedAt, now)
    return (
      known &&
      `OCSP response produced at ${producedAt} is older than one produced at ${known.value} ` +
        `seen at ${known.seenAt}: a replayed or rolled-back response`
    )
  }

  /** True when a cached CRL numbered `crlNumber` is below the highest seen for (issuer, url): fetch anew instead. */
  isBehindCrl(issuer: Cert, url: string, crlNumber: string | undefined): Promise<boolean> {
    return this.isBehind('crl', crlKey(issuer, url), crlNumber)
  }

  /** True when a cached response produced at `producedAt` is older than one seen for `cert`: fetch anew instead. */
  isBehindOcsp(cert: Cert, producedAt: string | undefined): Promise<boolean> {
    return this.isBehind('ocsp', cert.sha256, producedAt)
  }

  /**
   * Merges what this run saw into the file. A failure to write (read-only or
   * full cache dir) loses only the memory, never a verdict.
   */
  async save(): Promise<void> {
    if (Object.keys(this.seen.crl).length === 0 && Object.keys(this.seen.ocsp).length === 0) return
    const path = join(this.dir, ROLLBACK_STATE_FILE)
    try {
      const merged = await readState(path)
      for (const kind of ['crl', 'ocsp'] as const)
        for (const [key, mark] of Object.entries(this.seen[kind]))
          merged[kind][key] = higher(kind, mark, merged[kind][key])
      await mkdir(this.dir, { recursive: true })
      await writeFileAtomic(path, JSON.stringify(merged, null, 1) + '\n')
    } catch {
      // The state only sharpens later runs; this run's verdicts stand without it.
    }
  }

  private load(): Promise<State> {
    this.state ??= readState(join(this.dir, ROLLBACK_STATE_FILE))
    return this.state
  }

  /** The highest mark under `key`, from the file or this run. */
  private async known(kind: Kind, key: string): Promise<Mark | undefined> {
    const stored = (await this.load())[kind][key]
    const mine = this.seen[kind][key]
    return mine ? higher(kind, mine, stored) : stored
  }

  /** The mark `value` falls below, or undefined after recording `value` when it is the highest so far. */
  private async observe(kind: Kind, key: string, value: string, now: Date): Promise<Mark | undefined> {
    const known = await this.known(kind, key)
    const rank = ORDER[kind].rank
    if (known && rank(value) < rank(known.value)) return known
    if (!known || rank(value) > rank(known.value)) {
      this.seen[kind][key] = {
        value: kind === 'crl' ? rank(value).toString(16) : value,
        seenAt: now.toISOString(),
      }
    }
    return undefined
  }

  private async isBehind(kind: Kind, key: string, value: string | undefined): Promise<boolean> {
    if (value === undefined) return false
    const known = await this.known(kind, key)
    return known !== undefined && ORDER[kind].rank(value) < ORDER[kind].rank(known.value)
  }
}

/** Of two marks, the one with the higher value; on a tie the one seen first. */
function higher(kind: Kind, a: Mark, b: Mark | undefined): Mark {
  if (!b) return a
  const [ra, rb] = [ORDER[kind].rank(a.value), ORDER[kind].rank(b.value)]
  if (ra !== rb) return ra > rb ? a : b
  return Date.parse(a.seenAt) <= Date.parse(b.seenAt) ? a : b
}

/** The stored state, or an empty one when absent or unreadable; malformed marks are dropped one by one. */
async function readState(path: string): Promise<State> {
  const state = empty()
  let parsed: unknown
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'))
  } catch {
    return state
  }
  for (const kind of ['crl', 'ocsp'] as const) {
    const marks = (parsed as Partial<Record<Kind, unknown>> | null)?.[kind]
    if (typeof marks !== 'object' || marks === null) continue
    for (const [key, mark] of Object.entries(marks as Record<string, Partial<Mark> | null>)) {
      const { value, seenAt } = mark ?? {}
      if (
        typeof value === 'string' &&
        ORDER[kind].valid(value) &&
        typeof seenAt === 'string' &&
        !Number.isNaN(Date.parse(seenAt))
      )
        state[kind][key] = { value, seenAt }
    }
  }
  return state
}
