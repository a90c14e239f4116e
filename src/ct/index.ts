// The Certificate Transparency stage: each leaf's embedded SCTs (RFC 6962
// §3.3) read and, with --ct-log-list, verified against the logs (§3.2) and
// their states. No network: everything needed is in the certificate, its
// issuer and the list. The sct-missing and sct-invalid rules judge the result.
import type { Cert } from '../model/cert.js'
import type { CtEvidence } from '../model/evidence.js'
import { DerReadError } from '../model/der-reader.js'
import { embeddedSctList, SCT_LIST_OID } from './certificate.js'
import type { CtLogList } from './log-list.js'
import { readSctList, SctParseError, type Sct } from './sct.js'
import { judgeSct, type SctJudgeOptions } from './verify.js'

export interface CtOptions extends SctJudgeOptions {
  logs?: CtLogList
  /** --require-sct */
  required: boolean
}

export function assessCt(cert: Cert, issuer: Cert | undefined, options: CtOptions): CtEvidence {
  const base = { verified: options.logs !== undefined, required: options.required }
  let scts: Sct[] = []
  try {
    // The certificate reader lists every extension: only a certificate with an SCT list is walked again.
    const list = cert.extensions.some((e) => e.oid === SCT_LIST_OID) ? embeddedSctList(cert.der) : undefined
    if (list) scts = readSctList(list)
  } catch (error) {
    if (!(error instanceof DerReadError || error instanceof SctParseError)) throw error
    return { ...base, scts: [], malformed: error.message }
  }
  const earliest = new Date(scts.reduce((first, sct) => Math.min(first, sct.timestamp), Infinity))
  return {
    ...base,
    scts: scts.map((sct) => {
      const logId = Buffer.from(sct.logId).toString('base64')
      const log = options.logs?.byId.get(logId)
      if (options.logs && !log)
        return {
          logId,
          timestamp: new Date(sct.timestamp),
          problem: `SCT from log ${logId}, which the log list does not name: it cannot be verified and does not count`,
          problemSeverity: 'warning' as const,
        }
      return { logId, ...judgeSct(sct, cert, issuer, log, { ...options, earliest }) }
    }),
  }
}
