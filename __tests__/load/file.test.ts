import { createHash, generateKeyPairSync, webcrypto } from 'node:crypto'
import { chmodSync, mkdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import * as x509 from '../../src/model/x509.js'
import { loadFile, MAX_FILE_BYTES } from '../../src/load/file.js'
import type { LoadedFile } from '../../src/load/types.js'
import { type Issued, tempDir, webPki } from '../helpers/pki.js'
import { crlDer, ocspResponseDer, pem, pkcs7 } from './fixtures.js'

let dir: string
let root: Issued
let intermediate: Issued
let leaf: Issued

beforeAll(async () => {
  dir = tempDir('certgate-load-')
  ;({ root, intermediate, leaf } = await webPki())
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Writes `content` under `name` in the test directory and loads it with the directory as cwd. */
async function load(name: string, content: string | Uint8Array): Promise<LoadedFile> {
  const path = join(dir, name)
  writeFileSync(path, content)
  return loadFile(path, dir)
}

const parseErrors = (f: LoadedFile) => f.findings.filter((x) => x.rule === 'parse-error')
const positions = (f: LoadedFile) => f.certs.map((c) => [c.source.line, c.source.index, c.sha256])
const sha256 = (i: Issued) => i.model.sha256

describe('PEM files', () => {
  it('loads a bundle with text around the blocks, reporting each BEGIN line and index', async () => {
    const text = [
      'Chain for leaf.test',
      '',
      `subject=${leaf.cert.subject}`,
      leaf.pem.trimEnd(),
      'intermediate follows',
      intermediate.pem.trimEnd(),
      '# end',
    ].join('\n')
    const f = await load('chain.pem', text)
    const leafLines = leaf.pem.trimEnd().split('\n').length
    expect(f.kind).toBe('certificates')
    expect(f.file).toBe('chain.pem')
    expect(f.findings).toEqual([])
    expect(positions(f)).toEqual([
      [4, 0, sha256(leaf)],
      [4 + leafLines + 1, 1, sha256(intermediate)],
    ])
    expect(f.certs[0].source.file).toBe('chain.pem')
  })

  it('accepts CRLF line ends and indented blocks (YAML values)', async () => {
    const indented = leaf.pem
      .trimEnd()
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\r\n')
    const f = await load('values.yaml.pem', `tls:\r\n  cert: |\r\n${indented}\r\n`)
    expect(f.findings).toEqual([])
    expect(positions(f)).toEqual([[3, 0, sha256(leaf)]])
  })

  it('loads X509 CERTIFICATE and TRUSTED CERTIFICATE labels (openssl trust settings after the certificate)', async () => {
    const trustAux = new Uint8Array([0x30, 0x0c, 0x30, 0x0a, 0x06, 0x08, 0x2b, 6, 1, 5, 5, 7, 3, 1])
    const trusted = new Uint8Array([...root.der, ...trustAux])
    const f = await load(
      'labels.pem',
      pem('X509 CERTIFICATE', leaf.der) + pem('TRUSTED CERTIFICATE', trusted),
    )
    expect(f.findings).toEqual([])
    expect(f.certs.map((c) => c.sha256)).toEqual([sha256(leaf), sha256(root)])
  })

  it('gives one bad block a parse-error on its line while the other blocks load', async () => {
    const good = leaf.pem.trimEnd().split('\n')
    const bad = ['-----BEGIN CERTIFICATE-----', 'not*base64!', '-----END CERTIFICATE-----']
    const f = await load('mixed.pem', [...bad, ...good, ''].join('\n') + intermediate.pem)
    expect(parseErrors(f)).toEqual([
      { rule: 'parse-error', severity: 'error', message: 'PEM block at line 1 is not valid base64', line: 1 },
    ])
    expect(positions(f)).toEqual([
      [4, 0, sha256(leaf)],
      [4 + good.length, 1, sha256(intermediate)],
    ])
  })

  it('reports a block whose base64 decodes to something that is not a certificate', async () => {
    const f = await load('junk-block.pem', pem('CERTIFICATE', new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x05])))
    expect(f.kind).toBe('unreadable')
    expect(parseErrors(f)).toHaveLength(1)
    expect(parseErrors(f)[0].message).toMatch(
      /^PEM block at line 1 \(CERTIFICATE\): not a certificate: ASN\.1 parse failed \(.+\)$/,
    )
  })

  it('reports a truncated certificate inside a PEM block with the declared and present sizes', async () => {
    const f = await load('short-block.pem', pem('CERTIFICATE', leaf.der.slice(0, 100)))
    expect(parseErrors(f).map((x) => x.message)).toEqual([
      `PEM block at line 1 (CERTIFICATE): DER is truncated: the certificate declares ${leaf.der.length} bytes but the PEM block has 100`,
    ])
  })

  it('reports a block with no END line', async () => {
    const f = await load('no-end.pem', `${leaf.pem}-----BEGIN CERTIFICATE-----\nMIIB\n`)
    expect(f.certs).toHaveLength(1)
    expect(parseErrors(f)).toEqual([
      expect.objectContaining({
        message: `PEM block at line ${leaf.pem.split('\n').length} has no END line`,
        line: leaf.pem.split('\n').length,
      }),
    ])
  })

  it('says a CSR is a signing request, not a certificate', async () => {
    const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])) as webcrypto.CryptoKeyPair
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({
      name: 'CN=csr.test',
      keys,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as webcrypto.EcdsaParams,
    })
    const f = await load('request.pem', `${csr.toString('pem')}\n`)
    expect(f.kind).toBe('unreadable')
    expect(f.findings).toEqual([
      {
        rule: 'parse-error',
        severity: 'error',
        message: 'PEM block at line 1 holds a certificate signing request, not a certificate',
        line: 1,
      },
    ])
  })

  it('says "no certificate found" for text with no usable block, naming the blocks it saw', async () => {
    const spki = leaf.cert.publicKey.rawData
    const f = await load('pubkey.pem', `just notes\n${pem('PUBLIC KEY', new Uint8Array(spki))}`)
    expect(f.kind).toBe('unreadable')
    expect(f.findings.map((x) => x.message)).toEqual(['no certificate found (PEM blocks: PUBLIC KEY)'])
    const plain = await load('notes.crt', 'this is not a certificate\n')
    expect(plain.findings.map((x) => x.message)).toEqual([
      'no certificate found: the file holds neither a PEM block nor DER data',
    ])
  })
})

describe('private keys', () => {
  const rsa = generateKeyPairSync('rsa', {
    modulusLength: 1024,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  }).privateKey
  const keyBase64 = rsa.split('\n').filter((l) => l && !l.startsWith('-----'))

  it('warns on the key block, never copies it, and still loads the certificate next to it', async () => {
    const f = await load('server.pem', `${leaf.pem}${rsa}`)
    expect(f.kind).toBe('certificates')
    expect(f.certs).toHaveLength(1)
    expect(f.findings).toEqual([
      {
        rule: 'private-key-in-file',
        severity: 'warning',
        message: 'private key (RSA PRIVATE KEY block) in a scanned file: keep keys out of the repository',
        line: leaf.pem.split('\n').length,
      },
    ])
    const json = JSON.stringify(f)
    for (const line of keyBase64) expect(json).not.toContain(line)
    expect(json).not.toContain(keyBase64.join(''))
  })

  it('gives a file holding only a key just the warning', async () => {
    const pkcs8 = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    }).privateKey
    const f = await load('key.pem', `# key\n${pkcs8}`)
    expect(f.kind).toBe('unreadable')
    expect(f.findings).toEqual([expect.objectContaining({ rule: 'private-key-in-file', line: 2 })])
    expect(f.findings[0].message).toContain('(PRIVATE KEY block)')
    const body = pkcs8.split('\n').filter((l) => l && !l.startsWith('-----'))
    for (const line of body) expect(JSON.stringify(f)).not.toContain(line)
  })
})

describe('DER files', () => {
  it('loads a DER certificate at line 1', async () => {
    const f = await load('leaf.der', leaf.der)
    expect(f.kind).toBe('certificates')
    expect(f.findings).toEqual([])
    expect(positions(f)).toEqual([[1, 0, sha256(leaf)]])
  })

  it('reports a truncated DER certificate with declared and actual sizes', async () => {
    const f = await load('cut.cer', leaf.der.slice(0, 200))
    expect(f.kind).toBe('unreadable')
    expect(f.findings).toEqual([
      {
        rule: 'parse-error',
        severity: 'error',
        message: `DER is truncated: the certificate declares ${leaf.der.length} bytes but the file has 200`,
        line: 1,
      },
    ])
  })

  it('rejects trailing data after a DER certificate', async () => {
    const f = await load('trailing.der', new Uint8Array([...leaf.der, 0xde, 0xad, 0xbe, 0xef]))
    expect(f.certs).toEqual([])
    expect(parseErrors(f).map((x) => x.message)).toEqual([
      `DER has 4 bytes of trailing data after the ${leaf.der.length}-byte certificate`,
    ])
  })

  it('reports a DER SEQUENCE with wrong inner lengths as a DER encoding failure naming the byte', async () => {
    const broken = leaf.der.slice()
    // The TBSCertificate's length octets (after the 4-byte outer header) now overrun their parent.
    broken[6] = 0xff
    const f = await load('inner.der', broken)
    expect(parseErrors(f)).toHaveLength(1)
    expect(parseErrors(f)[0].message).toMatch(
      /^not a DER-encoded certificate: element at byte 4 declares \d+ bytes but only \d+ remain$/,
    )
  })

  it('loads DER and PEM PKCS#7 bundles from openssl crl2pkcs7, certificates indexed in bundle order', async () => {
    const der = await load('chain.p7b', pkcs7(dir, [leaf, intermediate], 'DER'))
    expect(der.findings).toEqual([])
    expect(positions(der)).toEqual([
      [1, 0, sha256(leaf)],
      [1, 1, sha256(intermediate)],
    ])
    const pemText = `bundle below\n${pkcs7(dir, [leaf, intermediate, root], 'PEM').toString()}`
    const fromPem = await load('chain.p7c', pemText)
    expect(fromPem.findings).toEqual([])
    expect(positions(fromPem)).toEqual([
      [2, 0, sha256(leaf)],
      [2, 1, sha256(intermediate)],
      [2, 2, sha256(root)],
    ])
  })

  it('reports an empty PKCS#7 bundle and one that is not SignedData', async () => {
    const empty = await load('empty.p7b', pkcs7(dir, [], 'DER'))
    expect(empty.kind).toBe('unreadable')
    expect(parseErrors(empty).map((x) => x.message)).toEqual(['the PKCS#7 bundle holds no certificates'])
    // ContentInfo { contentType id-data, [0] OCTET STRING }: a PKCS#7 envelope with no certificates by design.
    const data = new Uint8Array([
      0x30, 0x12, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01, 0xa0, 0x05, 0x04, 0x03, 1,
      2, 3,
    ])
    const notSigned = await load('data.p7c', pem('PKCS7', data))
    expect(parseErrors(notSigned).map((x) => x.message)).toEqual([
      'PEM block at line 1 (PKCS7): not a PKCS#7 bundle: content type 1.2.840.113549.1.7.1 is not SignedData',
    ])
  })

  it('loads a PKCS7 block after a certificate, continuing the certificate index', async () => {
    const p7 = pkcs7(dir, [intermediate], 'PEM')
      .toString()
      .replace('BEGIN PKCS7', 'BEGIN CMS')
      .replace('END PKCS7', 'END CMS')
    const f = await load('mixed-p7.pem', leaf.pem + p7)
    expect(f.findings).toEqual([])
    expect(positions(f)).toEqual([
      [1, 0, sha256(leaf)],
      [leaf.pem.split('\n').length, 1, sha256(intermediate)],
    ])
  })

  it('loads OCSP responses as DER by file name and as an OCSP RESPONSE block', async () => {
    const response = await ocspResponseDer(leaf, intermediate)
    for (const name of ['leaf.ocsp', 'leaf.der-staple']) {
      const f = await load(name, response)
      expect(f.kind).toBe('ocsp-response')
      expect(f.findings).toEqual([])
      expect(f.ocspResponses).toEqual([{ der: response, line: 1 }])
    }
    const sniffed = await load('staple.bin', response)
    expect(sniffed.kind).toBe('ocsp-response')
    const block = await load('staple.pem', `# staple\n${pem('OCSP RESPONSE', response)}`)
    expect(block.ocspResponses.map((r) => r.line)).toEqual([2])
    expect(Buffer.from(block.ocspResponses[0].der).equals(Buffer.from(response))).toBe(true)
  })

  it('reports an .ocsp file that is not an OCSP response', async () => {
    const f = await load('wrong.ocsp', leaf.der)
    expect(f.kind).toBe('unreadable')
    expect(parseErrors(f)[0].message).toMatch(/^not an OCSP response: ASN\.1 parse failed \(.+\)$/)
  })

  it('loads a CRL as DER and as an X509 CRL block', async () => {
    const crl = await crlDer(intermediate)
    const der = await load('intermediate.der', crl)
    expect(der.kind).toBe('crl')
    expect(der.findings).toEqual([])
    expect(der.crls).toEqual([{ der: crl, line: 1 }])
    const block = await load('intermediate-crl.pem', `${leaf.pem}${pem('X509 CRL', crl)}`)
    expect(block.kind).toBe('certificates')
    expect(block.crls.map((c) => c.line)).toEqual([leaf.pem.split('\n').length])
  })
})

describe('unusable files', () => {
  it('reports an empty file', async () => {
    const f = await load('empty.pem', '')
    expect(f.kind).toBe('unreadable')
    expect(f.findings).toEqual([
      { rule: 'parse-error', severity: 'error', message: 'file is empty', line: 1 },
    ])
  })

  it('reports random bytes with a clear message', async () => {
    // Deterministic noise: a SHA-256 chain, so the expected message is fixed.
    const noise = (first: number): Uint8Array => {
      const chunks = [createHash('sha256').update('noise').digest()]
      while (chunks.length < 128)
        chunks.push(
          createHash('sha256')
            .update(chunks[chunks.length - 1])
            .digest(),
        )
      const bytes = new Uint8Array(Buffer.concat(chunks))
      bytes[0] = first
      return bytes
    }
    const f = await load('random.der', noise(0x42))
    expect(f.kind).toBe('unreadable')
    expect(parseErrors(f).map((x) => x.message)).toEqual([
      'no certificate found: the file holds neither a PEM block nor DER data',
    ])
    const looksDer = await load('random30.der', noise(0x30))
    expect(looksDer.kind).toBe('unreadable')
    expect(parseErrors(looksDer)).toHaveLength(1)
    expect(parseErrors(looksDer)[0].message).toMatch(/^DER (is truncated|has \d+ bytes of trailing data)/)
  })

  it('never throws on arbitrary bytes or on corrupted certificates, PEM or DER', async () => {
    const corrupted = fc
      .tuple(fc.nat(leaf.der.length - 1), fc.integer({ min: 0, max: 255 }), fc.nat(leaf.der.length))
      .map(([at, value, keep]) => {
        const bytes = leaf.der.slice(0, Math.max(keep, at + 1))
        bytes[at] = value
        return bytes
      })
    const input = fc.oneof(fc.uint8Array({ maxLength: 600 }), corrupted)
    await fc.assert(
      fc.asyncProperty(input, fc.boolean(), async (bytes, asPem) => {
        const f = await load('fuzz.crt', asPem ? pem('CERTIFICATE', bytes) : bytes)
        // Either the bytes still form a certificate, or the file says what is wrong with it.
        expect(f.kind === 'certificates').toBe(f.certs.length > 0)
        if (f.certs.length === 0) expect(parseErrors(f).length).toBeGreaterThan(0)
      }),
      { numRuns: 200 },
    )
  })

  it('refuses a file over the size cap without reading it', async () => {
    const path = join(dir, 'huge.pem')
    writeFileSync(path, '')
    truncateSync(path, 50 * 1024 * 1024)
    expect(50 * 1024 * 1024).toBeGreaterThan(MAX_FILE_BYTES)
    const f = await loadFile(path, dir)
    expect(f.kind).toBe('unreadable')
    expect(f.findings).toEqual([
      { rule: 'parse-error', severity: 'error', message: 'file is 52.4 MB, over the 16 MiB limit', line: 1 },
    ])
  })

  it('reports a file that vanished or is a directory', async () => {
    const gone = await loadFile(join(dir, 'gone.pem'), dir)
    expect(gone.kind).toBe('unreadable')
    expect(gone.findings.map((x) => x.message)).toEqual([
      'cannot read the file: no such file or directory (ENOENT)',
    ])
    mkdirSync(join(dir, 'adir.pem'))
    const directory = await loadFile(join(dir, 'adir.pem'), dir)
    expect(directory.findings.map((x) => x.message)).toEqual([
      'not a regular file: a directory; certificates are read from regular files only',
    ])
  })

  // Root reads any file whatever its mode, so this case only exists for other users.
  const itUnprivileged = process.getuid?.() === 0 ? it.skip : it
  itUnprivileged('reports a file it has no permission to read', async () => {
    const path = join(dir, 'secret.pem')
    writeFileSync(path, leaf.pem)
    chmodSync(path, 0o000)
    const f = await loadFile(path, dir)
    expect(f.findings.map((x) => x.message)).toEqual(['cannot read the file: permission denied (EACCES)'])
  })

  it('shows paths outside the working directory as absolute', async () => {
    const path = join(dir, 'outside.pem')
    writeFileSync(path, leaf.pem)
    const f = await loadFile(path, join(dir, 'elsewhere'))
    expect(f.file).toBe(path)
    expect(f.certs[0].source.file).toBe(path)
  })
})
