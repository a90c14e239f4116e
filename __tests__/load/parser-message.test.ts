// A parser library that trips over malformed input throws whatever its code
// hit: "undefined is not iterable", "e.toBER is not a function". Those are
// internals, not findings: the operator must read what is wrong with the file.
import { execFileSync } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadFile } from '../../src/load/file.js'
import { MALFORMED_STRUCTURE, parserMessage } from '../../src/model/parser-message.js'
import { createOpensslPki } from '../helpers/openssl-pki.js'

const INTERNALS = /is not (a function|iterable)|undefined|Cannot read|TypeError/

test('a PKCS#7 bundle whose CRL entry has an empty extension list is a parse-error in plain words', async () => {
  const pki = createOpensslPki(9)
  try {
    pki.revoke('leaf-revoked.crt', 'keyCompromise')
    const crl = pki.gencrl()
    const bundle = execFileSync(
      'openssl',
      ['crl2pkcs7', '-in', crl, '-certfile', pki.path('leaf-good.crt'), '-outform', 'DER'],
      { cwd: pki.dir },
    )
    // The entry's crlEntryExtensions: SEQUENCE (12 bytes) { SEQUENCE { reasonCode 2.5.29.21 … } }.
    const extensions = Buffer.from('300c300a0603551d15', 'hex')
    const at = bundle.indexOf(extensions)
    expect(at).toBeGreaterThan(0)
    bundle[at + 1] = 0x00 // now claims to hold nothing, and what followed is stray
    const path = join(pki.dir, 'broken.p7b')
    writeFileSync(path, bundle)

    const loaded = await loadFile(path, pki.dir)
    const [finding] = loaded.findings
    expect(finding).toMatchObject({ rule: 'parse-error', severity: 'error', line: 1 })
    // The bundle is walked as DER (any size), and its CRL parsed by pkijs alone, which names what it could not make.
    expect(finding.message).toBe(
      "not a PKCS#7 bundle: Cannot create 'CertificateRevocationList' from ASN.1 object",
    )
    expect(finding.message).not.toMatch(INTERNALS)
  } finally {
    rmSync(pki.dir, { recursive: true, force: true })
  }
})

test("a parser's own error is kept (its first line); a runtime error from inside it is not", () => {
  expect(
    parserMessage(new Error("Object's schema was not verified against input data for SignedData\nmore")),
  ).toBe("Object's schema was not verified against input data for SignedData")
  for (const error of [
    new TypeError('e.toBER is not a function'),
    new RangeError('Offset is outside the bounds'),
  ]) {
    expect(parserMessage(error)).toBe(MALFORMED_STRUCTURE)
  }
})
