// Every chain-validation case of x509-limbo (C2SP/x509-limbo, commit
// ddc40b47, the subset under __tests__/fixtures/conformance) judged as users
// see it: check() on the case's files — the peer certificate checked, the
// trusted certificates as --trust, the untrusted pool as --issuer, the
// validation time as --now — with the profile the case's rules come from,
// every certificate rule included, and the gate's verdict compared with
// the expected one. Where they differ the case is listed with the reason,
// and the test asserts it still differs, so a fix is noticed.
import { describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { check } from '../../src/check.js'
import { decodeCertificates } from '../../src/chain/decode.js'
import { hostnameMatches } from '../../src/chain/hostname.js'
import type { Profile } from '../../src/model/types.js'
import { resolveOptions } from '../../src/options.js'
import type { Report } from '../../src/report/types.js'
import { CONFORMANCE_ABSENT, conformanceVectors } from '../helpers/conformance.js'

interface LimboCase {
  id: string
  files: { peer: string; trusted: string; intermediates?: string }
  inputs: {
    validation_kind: 'SERVER' | 'CLIENT'
    validation_time: string | null
    expected_peer_name: { kind: 'DNS' | 'IP' | 'RFC822'; value: string } | null
    max_chain_depth: number | null
  }
  expect: { result: 'SUCCESS' | 'FAILURE' }
}

type Verdict = 'SUCCESS' | 'FAILURE'

/**
 * The profile whose rules a case is written to: the CA/B Forum's for
 * webpki:: and the real-world online:: chains, RFC 5280 for the rest
 * (rfc5280::, and the generic pathlen:: and pathological:: cases).
 */
function profileOf(c: LimboCase): Profile {
  if (c.inputs.validation_kind === 'CLIENT') return 'client-tls'
  return /^(webpki|online)::/.test(c.id) ? 'public-tls' : 'rfc5280'
}

// certgate lints certificates as well as validating paths: a case certificate
// made only to exercise one path rule may break another requirement of its
// profile, and the gate says so. These are the rules limbo's generated
// certificates fail for reasons no case is about; a case is judged on what it
// tests with their findings set aside, and where they alone flip the gate's
// verdict that is reported with the reason.
const ISSUANCE_RULES: Record<string, string> = {
  'no-revocation-source':
    "limbo's generated webpki leaves name neither an OCSP responder nor a CRL and are not short-lived, so nothing could revoke them (BR 4.9.1.1, 7.1.2.11.2)",
}

// Cases where certgate's verdict on what the case tests differs from limbo's, and why.
const NO_RULE = 'a certificate-profile requirement limbo rejects the path for; certgate has no rule for it'
const KNOWN_DIFFERENCES: Record<string, string> = {
  'pathlen::max-chain-depth-0-exhausted':
    "limbo's max_chain_depth is a verifier setting; certgate has no option for it and accepts up to 8 intermediates",
  'pathlen::max-chain-depth-1-exhausted':
    "limbo's max_chain_depth is a verifier setting; certgate has no option for it and accepts up to 8 intermediates",
  'rfc5280::aki::leaf-missing-aki': `${NO_RULE} (§4.2.1.1 AKI presence)`,
  'rfc5280::aki::intermediate-missing-aki': `${NO_RULE} (§4.2.1.1 AKI presence)`,
  'rfc5280::aki::cross-signed-root-missing-aki': `${NO_RULE} (§4.2.1.1 AKI presence)`,
  'rfc5280::ski::root-missing-ski': `${NO_RULE} (§4.2.1.2 SKI presence)`,
  'rfc5280::ski::intermediate-missing-ski': `${NO_RULE} (§4.2.1.2 SKI presence)`,
  'rfc5280::serial::too-long': `${NO_RULE} (§4.1.2.2 serial number)`,
  'rfc5280::serial::zero': `${NO_RULE} (§4.1.2.2 serial number)`,
  'rfc5280::duplicate-extensions': `${NO_RULE} (§4.2 one instance per extension)`,
  'rfc5280::root-non-critical-basic-constraints': `${NO_RULE} (§4.2.1.9 criticality); OpenSSL accepts it too`,
  'rfc5280::ee-empty-issuer':
    "the peer is itself the trust anchor here, and §6.1 never reads a trust anchor's issuer name",
  'rfc5280::eku::ee-wrong-eku':
    'the rfc5280 profile judges structure, not purpose: eku-server-auth-missing runs in public-tls and private-tls',
  'rfc5280::nc::permitted-dns-match-noncritical':
    'certgate honours non-critical name constraints, as the CA/B profile (webpki::nc::permitted-dns-match-noncritical) and OpenSSL do',
  'rfc5280::nc::permitted-dn-match':
    'the peer has only a directoryName SAN, so the expected name example.com cannot match it under RFC 9525; the path itself validates',
  'webpki::aki::root-with-aki-missing-keyidentifier': `${NO_RULE} (CA/B BR 7.1.2.1.3, root AKI)`,
  'webpki::aki::root-with-aki-authoritycertissuer': `${NO_RULE} (CA/B BR 7.1.2.1.3, root AKI)`,
  'webpki::aki::root-with-aki-authoritycertserialnumber': `${NO_RULE} (CA/B BR 7.1.2.1.3, root AKI)`,
  'webpki::aki::root-with-aki-all-fields': `${NO_RULE} (CA/B BR 7.1.2.1.3, root AKI)`,
  'webpki::aki::root-with-aki-ski-mismatch': `${NO_RULE} (CA/B BR 7.1.2.1.3, root AKI)`,
  'webpki::eku::ee-anyeku': `${NO_RULE} (CA/B BR 7.1.2.7.10: anyExtendedKeyUsage beside serverAuth)`,
  'webpki::eku::ee-critical-eku': `${NO_RULE} (CA/B BR 7.1.2.7.6, EKU criticality)`,
  'webpki::eku::root-has-eku': `${NO_RULE} (CA/B BR 7.1.2.1.2, root EKU)`,
  'webpki::forbidden-signature-algorithm-in-root':
    "weak-signature does not judge roots: a trust anchor's own signature is never relied on (RFC 5280 §6.1)",
}

const vectors = conformanceVectors('x509-limbo')
const cases: LimboCase[] = vectors
  ? JSON.parse(readFileSync(join(vectors, 'manifest.json'), 'utf8')).cases
  : []

/**
 * The gate's verdict on a case, and its verdict on what the case tests (the
 * same with the ISSUANCE_RULES findings set aside), with the rules that failed.
 */
async function verdict(c: LimboCase): Promise<{ gate: Verdict; tested: Verdict; failing: string[] }> {
  const folder = join(vectors as string, c.files.peer, '..')
  const file = (path: string | undefined) => path && path.slice(path.lastIndexOf('/') + 1)
  const peerFile = file(c.files.peer) as string
  const intermediates = file(c.files.intermediates)
  const options = resolveOptions(
    {
      profile: profileOf(c),
      revocation: 'off',
      trust: file(c.files.trusted),
      ...(intermediates && poolHolds(join(folder, intermediates)) ? { issuer: intermediates } : {}),
      ...(c.inputs.validation_time ? { now: c.inputs.validation_time } : {}),
    },
    { inputs: [peerFile], cwd: folder },
  )
  const report = await check(options)
  const failing = [...new Set(report.certificates.flatMap((p) => (p.failed ? errorRules(p.findings) : [])))]
  // The name check a client makes (RFC 9525, as for --endpoint), which check() on a file cannot know to make.
  const name = c.inputs.expected_peer_name
  const [peer] = decodeCertificates(readFileSync(join(folder, peerFile)), peerFile)
  if (name && peer && !hostnameMatches(peer, name.value)) failing.push(`name ${name.value} not covered`)
  const gate = report.result === 'pass' && failing.length === 0 ? 'SUCCESS' : 'FAILURE'
  const tested = failing.some((rule) => !(rule in ISSUANCE_RULES)) ? 'FAILURE' : 'SUCCESS'
  return { gate, tested, failing }
}

const errorRules = (findings: Report['certificates'][number]['findings']): string[] =>
  findings.filter((f) => f.severity === 'error' && !f.ignored).map((f) => f.rule)

/** An empty pool file is no --issuer (check() refuses an --issuer file without certificates). */
const poolHolds = (path: string): boolean => readFileSync(path, 'latin1').includes('-----BEGIN')

const atGate: string[] = []
const flippedByIssuanceRules: string[] = []
const differing: string[] = []

if (!vectors) {
  test.skip(CONFORMANCE_ABSENT, () => undefined)
} else {
  afterAll(() => {
    console.log(
      `x509-limbo through check(): the gate agrees on ${atGate.length} of ${cases.length} cases; ` +
        `on what each case tests, ${cases.length - differing.length} agree and ${differing.length} differ ` +
        `(KNOWN_DIFFERENCES); ${flippedByIssuanceRules.length} gate verdicts are turned by ISSUANCE_RULES alone ` +
        `(${flippedByIssuanceRules.join(', ')})`,
    )
  })

  describe('x509-limbo', () => {
    test.each(cases.map((c) => [c.id, c] as const))('%s', async (id, c) => {
      const { gate, tested, failing } = await verdict(c)
      const expected = c.expect.result
      if (gate === expected) atGate.push(id)
      if (gate !== tested) flippedByIssuanceRules.push(id)
      if (id in KNOWN_DIFFERENCES) {
        // Still differs: when certgate gains the check, the entry goes.
        expect(tested).not.toBe(expected)
        differing.push(id)
        return
      }
      // `failing` only shows in the diff, to say what certgate objected to.
      expect({ tested, failing: tested === expected ? [] : failing }).toEqual({
        tested: expected,
        failing: [],
      })
    })
  })
}
