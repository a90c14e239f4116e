// `--save-evidence DIR`: every OCSP response and CRL a verdict rests on is
// written as DER, named by the SHA-256 fingerprint of the certificate it was
// used for, so an auditor can replay the verdict later (`openssl ocsp -respin`,
// `openssl crl -inform DER`).
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Cert } from '../model/cert.js'
import { writeFileAtomic } from './cache.js'

export type EvidenceKind = 'ocsp' | 'crl'

/** `<sha256>.ocsp.der` or `<sha256>.crl.der` in `dir`. */
export function evidencePath(dir: string, cert: Pick<Cert, 'sha256'>, kind: EvidenceKind): string {
  return join(dir, `${cert.sha256}.${kind}.der`)
}

/** Writes the DER that decided `cert`'s status; returns the path written. */
export async function saveEvidence(
  dir: string,
  cert: Pick<Cert, 'sha256'>,
  kind: EvidenceKind,
  der: Uint8Array,
): Promise<string> {
  await mkdir(dir, { recursive: true })
  const path = evidencePath(dir, cert, kind)
  await writeFileAtomic(path, der)
  return path
}
