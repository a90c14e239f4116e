// Replays the fuzz corpus (__tests__/fuzz/corpus/<parser>/) through check():
// inputs that once broke something, and representative nasty shapes. They
// were made by mutating certificates, responses and CRLs of the openssl
// test PKI (helpers/openssl-pki.ts) with the mutations of mutate.ts; each
// entry below says what it broke or stands for, and the words the report
// must now use for it. Every corpus file must be listed here, and only those.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createOpensslPki, type OpensslPki } from '../helpers/openssl-pki.js'
import { tempDir } from '../helpers/pki.js'
import { freePort } from '../helpers/processes.js'
import { outcomeOf, runCheck, Scratch, startBodyServer } from './harness.js'

type Parser = 'loader' | 'ocsp' | 'crl'
interface CorpusEntry {
  parser: Parser
  file: string
  /** What it broke, or the shape it stands for. */
  why: string
  /** What the report must now say about it (a finding message or revocation detail). */
  expected: RegExp
  /**
   * A companion file in the same folder: the CA certificate the input was
   * made under, scanned beside it, for inputs that only reach the code they
   * broke when their CertID names a known issuer.
   */
  issuer?: string
}

const CORPUS: CorpusEntry[] = [
  {
    parser: 'loader',
    file: 'non-minimal-outer-length.der',
    why: 'outer length in 3 octets where 2 suffice: BER-tolerant parsing loaded it and the gate passed a certificate whose bytes (and sha256) are not what the CA issued',
    expected: /not a DER-encoded certificate: length at byte 0 is not in the shortest form/,
  },
  {
    parser: 'loader',
    file: 'non-minimal-tbs-length.der',
    why: 'the same inside the signed TBSCertificate: @peculiar/x509 and node:crypto both loaded it as a certificate',
    expected: /not a DER-encoded certificate: length at byte \d+ is not in the shortest form/,
  },
  {
    parser: 'loader',
    file: 'indefinite-outer-length.der',
    why: 'BER indefinite length with no end-of-contents: reported as the opaque "ASN.1 parse failed (Zero buffer length)"',
    expected: /not a DER-encoded certificate: indefinite length at byte 0/,
  },
  {
    parser: 'loader',
    file: 'nested-10000-sequences.der',
    why: '10,000 nested SEQUENCEs: a recursive parser meets its stack limit; now refused at depth 64 by the iterative walk',
    expected: /elements nest deeper than 64 levels/,
  },
  {
    parser: 'loader',
    file: 'huge-length.der',
    why: 'a 4-octet length of ~4 GiB over 60 bytes: must be measured, never allocated',
    expected: /DER is truncated: the certificate declares \d+ bytes but the file has 66/,
  },
  {
    parser: 'loader',
    file: 'damaged-begin-line.pem',
    why: "the leaf's BEGIN line damaged by one bit: the whole block was skipped as text and the chain file passed on its intermediate alone",
    expected: /line 2 holds a malformed BEGIN or END line; a PEM block there cannot be read/,
  },
  {
    parser: 'ocsp',
    file: 'non-minimal-outer-length.ocsp',
    why: 'a staple with a non-minimal outer length: pkijs decoded it, and the signed part is untouched',
    expected: /not a DER-encoded OCSP response: length at byte 0 is not in the shortest form/,
  },
  {
    parser: 'ocsp',
    file: 'indefinite-basic-response.ocsp',
    why: 'responseBytes in the BER indefinite form, end-of-contents in place: pkijs decoded it, the signed part untouched',
    expected: /not a DER-encoded OCSP response: indefinite length at byte \d+/,
  },
  {
    parser: 'ocsp',
    file: 'nested-10000-sequences.ocsp',
    why: '10,000 nested indefinite-length SEQUENCEs around a responseStatus',
    expected: /indefinite length at byte 0/,
  },
  {
    parser: 'ocsp',
    file: 'damaged-responder-certificate.ocsp',
    issuer: 'damaged-responder-certificate.issuer.pem',
    why: "one bit flipped (byte 19) in the delegated responder's certificate inside an openssl response: our DER reader accepted the certificate, node:crypto's X509Certificate refused it ('PEM routines::no start line'), and the exception ended the whole run (issue 12)",
    expected:
      /the responder certificate in the response cannot be parsed: error:0480006C:PEM routines::no start line/,
  },
  {
    parser: 'crl',
    file: 'indefinite-outer-length.bin',
    why: 'a CRL in BER indefinite form: refused by the strict index walk',
    expected: /is malformed: CertificateList: indefinite length at byte 0/,
  },
  {
    parser: 'crl',
    file: 'nested-10000-sequences.bin',
    why: '10,000 nested SEQUENCEs served as a CRL',
    expected: /is malformed: /,
  },
  {
    parser: 'crl',
    file: 'truncated-signature.bin',
    why: 'a download cut off inside the signature',
    expected: /is malformed: CertificateList: declares \d+ bytes/,
  },
]

const CORPUS_DIR = join(import.meta.dirname, 'corpus')

let pki: OpensslPki
let scratch: Scratch
let server: { close(): Promise<void> }
let served: Uint8Array | undefined

beforeAll(async () => {
  pki = createOpensslPki(await freePort())
  scratch = new Scratch(tempDir('certgate-fuzz-corpus-'))
  server = await startBodyServer(pki.port, (path) => (path === '/intermediate.crl' ? served : undefined))
}, 60_000)
afterAll(async () => {
  await server?.close()
  rmSync(pki.dir, { recursive: true, force: true })
  rmSync(scratch.root, { recursive: true, force: true })
})

test('every corpus file has an entry saying what it broke, and every entry a file', () => {
  const files = (['loader', 'ocsp', 'crl'] as const).flatMap((parser) =>
    readdirSync(join(CORPUS_DIR, parser)).map((file) => `${parser}/${file}`),
  )
  const listed = CORPUS.flatMap((e) =>
    [e.file, ...(e.issuer ? [e.issuer] : [])].map((f) => `${e.parser}/${f}`),
  )
  expect(files.sort()).toEqual(listed.sort())
})

/** Replays one entry the way its parser meets it: a scanned file, a stored staple, a downloaded CRL. */
async function replay(entry: CorpusEntry) {
  const bytes = new Uint8Array(readFileSync(join(CORPUS_DIR, entry.parser, entry.file)))
  const common = { profile: 'private-tls', trust: pki.path('root.crt'), issuer: pki.path('intermediate.crt') }
  if (entry.parser === 'loader') {
    const dir = scratch.write(entry.file, bytes)
    return { dir, file: entry.file, report: await runCheck({ ...common, revocation: 'off' }, ['.'], dir) }
  }
  const dir = scratch.write('leaf.pem', readFileSync(pki.path('leaf-good.crt')))
  if (entry.parser === 'ocsp') {
    writeFileSync(join(dir, entry.file), bytes)
    if (entry.issuer)
      writeFileSync(join(dir, entry.issuer), readFileSync(join(CORPUS_DIR, 'ocsp', entry.issuer)))
    return { dir, file: entry.file, report: await runCheck({ ...common, revocation: 'off' }, ['.'], dir) }
  }
  served = bytes
  const settings = { ...common, revocation: 'crl', 'allow-private-network': true, retries: 0 }
  return { dir, file: 'leaf.pem', report: await runCheck(settings, ['.'], dir) }
}

describe('fuzz corpus replay', () => {
  test.each(CORPUS.map((entry) => [`${entry.parser}/${entry.file}`, entry] as const))(
    '%s fails the gate with a finding on it',
    async (_, entry) => {
      const { dir, file, report } = await replay(entry)
      try {
        const { entry: fileEntry, certificates } = outcomeOf(report, file)
        expect(report.result).toBe('fail')
        const said = [
          ...fileEntry.findings.map((f) => f.message),
          fileEntry.revocation?.detail,
          ...report.certificates.filter((c) => c.file === file).map((c) => c.revocation.detail),
        ].join('\n')
        expect(said).toMatch(entry.expected)
        expect(fileEntry.failed || certificates.some((c) => c.failed)).toBe(true)
      } finally {
        scratch.remove(dir)
      }
    },
  )
})
