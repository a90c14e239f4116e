// Every chain-validation case of x509-limbo (C2SP/x509-limbo, commit
// ddc40b47, the subset in /work/shared/conformance) through buildPath and
// hostnameMatches. Disagreements are listed in KNOWN_DIFFERENCES with the
// reason; the test asserts they still disagree so a fix is noticed.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { decodeCertificates } from '../../src/chain/decode.js'
import { TrustAnchors } from '../../src/chain/anchors.js'
import { hostnameMatches } from '../../src/chain/hostname.js'
import { buildPath } from '../../src/chain/path.js'
import { IssuerPool } from '../../src/chain/pool.js'
import type { Cert } from '../../src/model/cert.js'
import { CONFORMANCE_DIR } from '../helpers/conformance.js'

const LIMBO = join(CONFORMANCE_DIR, 'x509-limbo', 'limbo-subset.json')

interface LimboCase {
  id: string
  validation_kind: 'SERVER' | 'CLIENT'
  trusted_certs: string[]
  untrusted_intermediates: string[]
  peer_certificate: string
  validation_time: string | null
  expected_result: 'SUCCESS' | 'FAILURE'
  expected_peer_name: { kind: 'DNS' | 'IP' | 'RFC822'; value: string } | null
  max_chain_depth: number | null
}

// certgate's path validation is RFC 5280 §6.1 plus the checks OpenSSL and
// browsers make. Certificate-profile requirements (what a conforming CA must
// put in a certificate) are judged by the certificate rules instead, as
// findings with their own severity, not by refusing the path.
const PROFILE_LINT =
  'certificate-profile requirement, not a path-validation failure in certgate (a certificate rule'
const KNOWN_DIFFERENCES: Record<string, string> = {
  'rfc5280::aki::leaf-missing-aki': `${PROFILE_LINT}: §4.2.1.1 AKI presence)`,
  'rfc5280::aki::intermediate-missing-aki': `${PROFILE_LINT}: §4.2.1.1 AKI presence)`,
  'rfc5280::aki::cross-signed-root-missing-aki': `${PROFILE_LINT}: §4.2.1.1 AKI presence)`,
  'rfc5280::ski::root-missing-ski': `${PROFILE_LINT}: §4.2.1.2 SKI presence)`,
  'rfc5280::ski::intermediate-missing-ski': `${PROFILE_LINT}: §4.2.1.2 SKI presence)`,
  'rfc5280::serial::too-long': `${PROFILE_LINT}: §4.1.2.2 serial number)`,
  'rfc5280::serial::zero': `${PROFILE_LINT}: §4.1.2.2 serial number)`,
  'rfc5280::serial::negative': `${PROFILE_LINT}: §4.1.2.2 serial number)`,
  'rfc5280::ee-empty-issuer': `${PROFILE_LINT}: the trust anchor's own issuer name is empty; §6.1 never reads it)`,
  'rfc5280::root-non-critical-basic-constraints': `${PROFILE_LINT}: §4.2.1.9 criticality; OpenSSL accepts it too)`,
  'rfc5280::duplicate-extensions': `${PROFILE_LINT}: §4.2 one instance per extension)`,
  'rfc5280::nc::permitted-dns-match-noncritical':
    'certgate honours non-critical name constraints, as the CA/B profile (webpki::nc::permitted-dns-match-noncritical) and OpenSSL do',
  'rfc5280::nc::permitted-dn-match':
    'the peer has only a directoryName SAN, so expected_peer_name example.com cannot match it under RFC 6125; the path itself validates',
  'webpki::aki::root-with-aki-missing-keyidentifier': `${PROFILE_LINT}: CA/B BR 7.1.2.1.3)`,
  'webpki::aki::root-with-aki-authoritycertissuer': `${PROFILE_LINT}: CA/B BR 7.1.2.1.3)`,
  'webpki::aki::root-with-aki-authoritycertserialnumber': `${PROFILE_LINT}: CA/B BR 7.1.2.1.3)`,
  'webpki::aki::root-with-aki-all-fields': `${PROFILE_LINT}: CA/B BR 7.1.2.1.3)`,
  'webpki::aki::root-with-aki-ski-mismatch': `${PROFILE_LINT}: CA/B BR 7.1.2.1.3)`,
  'webpki::eku::ee-anyeku': `${PROFILE_LINT}: CA/B BR 7.1.2.7.10; RFC 5280 accepts anyExtendedKeyUsage)`,
  'webpki::eku::ee-critical-eku': `${PROFILE_LINT}: CA/B BR 7.1.2.7.6)`,
  'webpki::eku::ee-without-eku': `${PROFILE_LINT} eku-server-auth-missing: CA/B BR 7.1.2.7.6)`,
  'webpki::eku::root-has-eku': `${PROFILE_LINT}: CA/B BR 7.1.2.1.2)`,
  'webpki::forbidden-p192-spki-leaf': `${PROFILE_LINT} weak-key)`,
  'webpki::forbidden-dsa-spki-leaf': `${PROFILE_LINT} weak-key)`,
  'webpki::forbidden-signature-algorithm-in-root': `${PROFILE_LINT} weak-signature)`,
  'webpki::forbidden-signature-algorithm-in-leaf': `${PROFILE_LINT} weak-signature)`,
  'webpki::ee-basicconstraints-ca': `${PROFILE_LINT} basic-constraints-ca-leaf)`,
}

const cases: LimboCase[] = JSON.parse(readFileSync(LIMBO, 'utf8')).testcases

const certsOf = (pems: string[], file: string): Cert[] =>
  pems.flatMap((pem) => decodeCertificates(Buffer.from(pem), file))

/** certgate's verdict on one case, with the reason when it rejects. */
async function verdict(c: LimboCase): Promise<{ result: 'SUCCESS' | 'FAILURE'; why: string }> {
  const [peer] = certsOf([c.peer_certificate], 'peer.pem')
  if (!peer) return { result: 'FAILURE', why: 'peer does not parse' }
  const result = await buildPath(peer, {
    pool: new IssuerPool(certsOf(c.untrusted_intermediates, 'intermediates.pem'), 'issuer'),
    anchors: new TrustAnchors({ trusted: certsOf(c.trusted_certs, 'trusted.pem') }),
    now: c.validation_time ? new Date(c.validation_time) : new Date(),
    purpose: c.validation_kind === 'SERVER' ? 'server' : 'client',
    maxIntermediates: c.max_chain_depth ?? undefined,
  })
  if (result.status !== 'valid')
    return { result: 'FAILURE', why: result.problems.map((p) => p.message).join('; ') }
  const name = c.expected_peer_name
  if (name && !hostnameMatches(peer, name.value))
    return { result: 'FAILURE', why: `name ${name.value} does not match` }
  return { result: 'SUCCESS', why: '' }
}

const agreed: string[] = []

afterAll(() => {
  console.log(`x509-limbo: certgate agrees on ${agreed.length} of ${cases.length} cases`)
})

test.each(cases.map((c) => [c.id, c] as const))('%s', async (id, c) => {
  const { result, why } = await verdict(c)
  if (id in KNOWN_DIFFERENCES) {
    expect(result).not.toBe(c.expected_result)
  } else {
    // `why` only shows in the diff, to say what certgate objected to.
    expect({ result, why: result === c.expected_result ? '' : why }).toEqual({
      result: c.expected_result,
      why: '',
    })
    agreed.push(id)
  }
})
