// The CT log list that Chrome and Apple publish (JSON, v3 schema:
// https://www.gstatic.com/ct/log_list/v3/log_list_schema.json), given with
// --ct-log-list. It names each log's key, operator and state (pending,
// qualified, usable, readonly, retired, rejected, each with the time it was
// entered), and for temporally sharded logs the notAfter range they accept.
// The user names the file, so anything unusable in it is a usage error.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { UsageError } from '../options.js'

export const LOG_STATES = ['pending', 'qualified', 'usable', 'readonly', 'retired', 'rejected'] as const
export type LogState = (typeof LOG_STATES)[number]

export interface CtLog {
  /** Base64 of the log ID, as the list writes it. */
  id: string
  description: string
  key: KeyObject
  state: LogState
  /** When the log entered `state`. */
  stateSince: Date
  /** Operators in order of time; each ran the log until `until` (the current one has none). */
  operators: { name: string; until?: Date }[]
  /** Temporal shard: the log accepts certificates whose notAfter falls in [start, end). */
  accepts?: { start: Date; end: Date }
}

export interface CtLogList {
  /** log_list_timestamp, when the list has one. */
  timestamp?: Date
  byId: ReadonlyMap<string, CtLog>
}

/** Reads and checks a v3 log list; `option` names where the path came from for messages. */
export async function loadLogList(path: string, cwd: string, option = '--ct-log-list'): Promise<CtLogList> {
  let text: string
  try {
    text = await readFile(resolve(cwd, path), 'utf8')
  } catch (error) {
    throw new UsageError(
      `${option}: ${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? error})`,
    )
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    // The parser's message quotes the text; the file may not be a log list at all, so nothing of it is echoed.
    throw new UsageError(`${option}: ${path}: not JSON; expected a CT log list (v3 schema)`)
  }
  return parseLogList(json, `${option}: ${path}`)
}

/** The log list in `json`; `where` prefixes every message. */
export function parseLogList(json: unknown, where: string): CtLogList {
  const operators = field(json, 'operators', where)
  if (!Array.isArray(operators))
    throw new UsageError(`${where}: "operators" is not a list (v3 log list schema)`)
  const byId = new Map<string, CtLog>()
  operators.forEach((operator, i) => {
    const at = `${where}: operators[${i}]`
    const name = text(field(operator, 'name', at), `${at}.name`)
    for (const kind of ['logs', 'tiled_logs'] as const) {
      const logs = (operator as Record<string, unknown>)[kind] ?? []
      if (!Array.isArray(logs)) throw new UsageError(`${at}.${kind} is not a list`)
      logs.forEach((entry, j) => {
        const log = readLog(entry, name, `${at}.${kind}[${j}]`)
        byId.set(log.id, log)
      })
    }
  })
  const stamp = (json as Record<string, unknown>).log_list_timestamp
  return { byId, ...(stamp === undefined ? {} : { timestamp: time(stamp, `${where}: log_list_timestamp`) }) }
}

function readLog(entry: unknown, operator: string, at: string): CtLog {
  const id = text(field(entry, 'log_id', at), `${at}.log_id`)
  const keyDer = Buffer.from(text(field(entry, 'key', at), `${at}.key`), 'base64')
  // RFC 6962 §3.2: the LogID is the SHA-256 hash of the log's public key.
  if (createHash('sha256').update(keyDer).digest('base64') !== id)
    throw new UsageError(`${at}: log_id ${id} is not the SHA-256 of its key (RFC 6962 §3.2)`)
  let key: KeyObject
  try {
    key = createPublicKey({ key: keyDer, format: 'der', type: 'spki' })
  } catch (error) {
    throw new UsageError(`${at}: key is not a SubjectPublicKeyInfo (${(error as Error).message})`)
  }
  const states = field(entry, 'state', at)
  const state = LOG_STATES.find((s) => typeof states === 'object' && states !== null && s in states)
  if (!state) throw new UsageError(`${at}.state names none of ${LOG_STATES.join(', ')}`)
  const since = time(
    field((states as Record<string, unknown>)[state], 'timestamp', at),
    `${at}.state.${state}.timestamp`,
  )
  const record = entry as Record<string, unknown>
  const previous = Array.isArray(record.previous_operators) ? record.previous_operators : []
  const operators = [
    ...previous
      .map((p, k) => ({
        name: text(field(p, 'name', at), `${at}.previous_operators[${k}].name`),
        until: time(field(p, 'end_time', at), `${at}.previous_operators[${k}].end_time`),
      }))
      .sort((a, b) => a.until.getTime() - b.until.getTime()),
    { name: operator },
  ]
  const interval = record.temporal_interval
  return {
    id,
    description: typeof record.description === 'string' ? record.description : id,
    key,
    state,
    stateSince: since,
    operators,
    ...(interval === undefined
      ? {}
      : {
          accepts: {
            start: time(field(interval, 'start_inclusive', at), `${at}.temporal_interval.start_inclusive`),
            end: time(field(interval, 'end_exclusive', at), `${at}.temporal_interval.end_exclusive`),
          },
        }),
  }
}

/** The operator that ran `log` at `when` (Chrome CT policy: previous_operators decide by SCT time). */
export function operatorAt(log: CtLog, when: Date): string {
  return (log.operators.find((o) => !o.until || when < o.until) ?? log.operators[log.operators.length - 1])
    .name
}

function field(value: unknown, name: string, at: string): unknown {
  if (typeof value !== 'object' || value === null || !(name in value))
    throw new UsageError(`${at}: "${name}" is missing (v3 log list schema)`)
  return (value as Record<string, unknown>)[name]
}

function text(value: unknown, at: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`${at} is not a non-empty string`)
  return value
}

/** RFC 3339 as the schema writes it; also milliseconds since the epoch, as some copies of the list do. */
function time(value: unknown, at: string): Date {
  const date =
    typeof value === 'number' ? new Date(value) : typeof value === 'string' ? new Date(value) : undefined
  if (!date || Number.isNaN(date.getTime())) throw new UsageError(`${at} is not a date-time`)
  return date
}
