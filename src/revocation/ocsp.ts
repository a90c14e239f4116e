// Asking a certificate's OCSP responders (RFC 6960 §4.1, RFC 5019, RFC 9919):
// build, send, judge; one responder after another until one gives a usable
// answer.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Cert } from '../model/cert.js'
import type { Revocation } from '../model/types.js'
import { HttpError, httpGet, httpPost, type HttpOptions, type HttpResponse } from './http.js'
import { buildOcspRequest, ocspGetUrl } from './ocsp-request.js'
import { parseOcspResponse } from './ocsp-response.js'
import { judgeOcspResponse, type OcspJudgement } from './ocsp-verify.js'
import type { CertIdHash, RevocationOptions } from './types.js'

/** RFC 5019 responses are small; anything bigger is not an OCSP response (DESIGN.md: 64 KiB cap). */
export const OCSP_MAX_BYTES = 64 * 1024

const OTHER_HASH: Record<CertIdHash, CertIdHash> = { sha1: 'sha256', sha256: 'sha1' }

/**
 * Asks each OCSP URL of `cert` in order and returns the first usable verdict
 * (anything but `unreachable`); when none answers, the last failure with the
 * reasons of all. The URLs come from the certificate, so they are fetched
 * under the untrusted address policy.
 */
export async function checkOcsp(cert: Cert, issuer: Cert, options: RevocationOptions): Promise<Revocation> {
  if (cert.ocspUrls.length === 0) {
    return { source: 'ocsp', status: 'unreachable', detail: 'the certificate names no OCSP responder' }
  }
  const failures: string[] = []
  let last: Revocation | undefined
  for (const url of cert.ocspUrls) {
    last = await askResponder(url, cert, issuer, options)
    if (last.status !== 'unreachable') return last
    failures.push(last.detail ?? url)
  }
  return { ...(last as Revocation), detail: failures.join('; ') }
}

/**
 * One responder: some answer only SHA-1 CertIDs and others prefer SHA-256
 * (RFC 9919), so `unauthorized` or `malformedRequest` with one hash is
 * retried once with the other before it is judged.
 */
async function askResponder(
  url: string,
  cert: Cert,
  issuer: Cert,
  options: RevocationOptions,
): Promise<Revocation> {
  let judgement = await exchange(url, cert, issuer, options.hash, options)
  const refusal = judgement.facts?.responseStatus
  if (refusal === 'unauthorized' || refusal === 'malformedRequest') {
    const retried = await exchange(url, cert, issuer, OTHER_HASH[options.hash], options)
    if (retried.facts?.responseStatus === 'successful' || !retried.facts) judgement = retried
  }
  if (judgement.facts && options.saveEvidenceDir) await saveEvidence(options.saveEvidenceDir, cert, judgement)
  return { ...judgement.revocation, url }
}

async function exchange(
  url: string,
  cert: Cert,
  issuer: Cert,
  hash: CertIdHash,
  options: RevocationOptions,
): Promise<OcspJudgement & { der?: Uint8Array }> {
  const request = await buildOcspRequest(cert, issuer, hash, options.nonce !== 'off')
  const http: HttpOptions = {
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    maxBytes: OCSP_MAX_BYTES,
    policy: 'untrusted',
    allowPrivateNetwork: options.allowPrivateNetwork,
    headers: { Accept: 'application/ocsp-response' },
    isTransient: isTryLater,
  }
  let response: HttpResponse
  try {
    const getUrl = ocspGetUrl(url, request, options.ocspMethod)
    response = getUrl
      ? await httpGet(getUrl, http)
      : await httpPost(url, request.der, {
          ...http,
          headers: { ...http.headers, 'Content-Type': 'application/ocsp-request' },
        })
  } catch (error) {
    if (!(error instanceof HttpError)) throw error
    return {
      revocation: { source: 'ocsp', status: 'unreachable', detail: `${error.kind}: ${error.message}` },
    }
  }
  const judgement = await judgeOcspResponse({
    der: response.body,
    issuers: [issuer],
    serial: cert.serial,
    request,
    options,
  })
  return { ...judgement, der: response.body }
}

/** tryLater (RFC 6960 §2.3) is the responder asking to be retried. */
function isTryLater(response: HttpResponse): boolean {
  try {
    return parseOcspResponse(response.body).status === 'tryLater'
  } catch {
    return false
  }
}

/** `--save-evidence`: the response used, named by certificate fingerprint, so an auditor can replay the verdict. */
async function saveEvidence(dir: string, cert: Cert, judgement: { der?: Uint8Array }): Promise<void> {
  if (!judgement.der) return
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, `${cert.sha256}.ocsp`), judgement.der)
}
