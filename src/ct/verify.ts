// One embedded SCT judged as Chrome's CT policy counts it: its signature
// over the precertificate entry (RFC 6962 §3.2) with the key of the log the
// list names, and the log's state (Chrome "CT Log Lifecycle"): SCTs of
// pending and rejected logs never count, a retired log's only when issued
// before its retirement, a read-only log issues none after it froze, and a
// temporally sharded log accepts only certificates expiring in its interval.
import { createHash, verify } from 'node:crypto'
import type { Cert } from '../model/cert.js'
import type { SctEvidence } from '../model/evidence.js'
import { precertificateTbs } from './certificate.js'
import { operatorAt, type CtLog } from './log-list.js'
import type { Sct } from './sct.js'

const HASH_SHA256 = 4
const SIGNATURES: Record<number, string> = { 1: 'RSA', 3: 'ECDSA' }

/** RFC 6962 §3.2 enumerations. */
const SIGNATURE_TYPE_CERTIFICATE_TIMESTAMP = 0
const ENTRY_TYPE_PRECERT = 1

export interface SctJudgeOptions {
  now: Date
  clockSkewMs: number
}

export interface SctContext {
  /**
   * The earliest timestamp among the certificate's SCTs: Chrome compares it,
   * not each SCT's own, with a log's retirement, for a certificate logged
   * while a log was being retired (Chrome CT policy, "Important Notes").
   */
  earliest: Date
}

/**
 * The bytes an embedded SCT signs (RFC 6962 §3.2, digitally-signed struct):
 * version, signature_type, timestamp, entry_type precert_entry, the issuer's
 * key hash, the precertificate TBS (24-bit length) and the SCT extensions.
 */
export function signedPrecertEntry(sct: Sct, precertTbs: Uint8Array, issuerSpki: Uint8Array): Uint8Array {
  const head = Buffer.alloc(12)
  head.writeUInt8(sct.version, 0)
  head.writeUInt8(SIGNATURE_TYPE_CERTIFICATE_TIMESTAMP, 1)
  head.writeBigUInt64BE(BigInt(sct.timestamp), 2)
  head.writeUInt16BE(ENTRY_TYPE_PRECERT, 10)
  const tbsLength = Buffer.alloc(3)
  tbsLength.writeUIntBE(precertTbs.length, 0, 3)
  const extensionsLength = Buffer.alloc(2)
  extensionsLength.writeUInt16BE(sct.extensions.length)
  return Buffer.concat([
    head,
    createHash('sha256').update(issuerSpki).digest(),
    tbsLength,
    precertTbs,
    extensionsLength,
    sct.extensions,
  ])
}

/** The SCT as evidence: who logged it and, with a log list, why it does not count (if it does not). */
export function judgeSct(
  sct: Sct,
  cert: Cert,
  issuer: Cert | undefined,
  log: CtLog | undefined,
  options: SctJudgeOptions & SctContext,
): Omit<SctEvidence, 'logId'> {
  const timestamp = new Date(sct.timestamp)
  if (!log) return { timestamp }
  const named = `log ${log.description}`
  const evidence = {
    timestamp,
    log: { description: log.description, operator: operatorAt(log, timestamp), state: log.state },
  }
  const problem = (text: string, severity: 'error' | 'warning' = 'error') => ({
    ...evidence,
    problem: text,
    problemSeverity: severity,
  })

  if (sct.hashAlgorithm !== HASH_SHA256 || !SIGNATURES[sct.signatureAlgorithm])
    return problem(
      `SCT from ${named} uses hash ${sct.hashAlgorithm} / signature ${sct.signatureAlgorithm}; RFC 6962 §2.1.4 allows only SHA-256 with ECDSA or RSA`,
    )
  if (!issuer)
    return problem(
      `SCT from ${named} cannot be checked: its issuer's key is part of what it signs and the issuer was not found`,
      'warning',
    )
  const signed = signedPrecertEntry(sct, precertificateTbs(cert.der), issuer.spki)
  let valid: boolean
  try {
    valid = verify('sha256', signed, log.key, sct.signature)
  } catch {
    // A signature that is not even DER for the log's key type does not verify either.
    valid = false
  }
  if (!valid)
    return problem(
      `SCT from ${named} does not verify with the log's key over this certificate's precertificate entry (RFC 6962 §3.2): it was made for another certificate or altered`,
    )

  const at = timestamp.toISOString()
  if (timestamp.getTime() > options.now.getTime() + options.clockSkewMs)
    return problem(`SCT from ${named} is dated ${at}, in the future`)
  const since = log.stateSince.toISOString()
  if (log.state === 'pending' || log.state === 'rejected')
    return problem(
      `SCT from ${named}, which is ${log.state} (since ${since}): its SCTs do not count (Chrome CT policy)`,
    )
  if (log.state === 'retired' && options.earliest >= log.stateSince)
    return problem(
      `SCT from ${named}, which was retired on ${since}: the certificate's earliest SCT is dated ${options.earliest.toISOString()}, after that`,
    )
  if (log.state === 'readonly' && timestamp > log.stateSince)
    return problem(`SCT from ${named} is dated ${at}, after the log became read-only on ${since}`)
  if (log.accepts && (cert.notAfter < log.accepts.start || cert.notAfter >= log.accepts.end))
    return problem(
      `SCT from ${named}, which accepts only certificates expiring from ${log.accepts.start.toISOString()} until ${log.accepts.end.toISOString()}; this one expires ${cert.notAfter.toISOString()}`,
    )
  return evidence
}
