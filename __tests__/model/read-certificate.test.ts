// The DER reader must give exactly the model @peculiar/x509 gives (the
// reference), for every certificate it accepts: real-world roots (Node's
// Mozilla store), x509-limbo's edge cases, and test-PKI certificates with
// every extension the model reads. It must also accept the common case, or
// the speed-up it exists for is silently lost.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { rootCertificates } from 'node:tls'
import * as x509 from '../../src/model/x509.js'
import { buildCertWithX509 } from '../../src/model/build.js'
import type { Cert } from '../../src/model/cert.js'
import { readCertificateDer, subjectNameOf } from '../../src/model/read-certificate.js'
import { CONFORMANCE_ABSENT, conformanceVectors } from '../helpers/conformance.js'
import { ext, issue, webPki, type Issued } from '../helpers/pki.js'

const limbo = conformanceVectors('x509-limbo')
const source = { file: 'test.pem', line: 1, index: 0 }

/** Every field of the model but the lazily built @peculiar/x509 object. */
function fieldsOf(cert: Cert): Record<string, unknown> {
  const fields: Record<string, unknown> = {}
  for (const key of Object.keys(cert)) if (key !== 'x509') fields[key] = cert[key as keyof Cert]
  return fields
}

/** Compares the two readers on each certificate; returns how many the DER reader accepted. */
function expectAgreement(ders: Uint8Array[]): number {
  let accepted = 0
  for (const der of ders) {
    const fast = readCertificateDer(der, source)
    if (!fast) continue
    accepted++
    expect({ sha256: fast.sha256, ...fieldsOf(fast) }).toEqual({
      sha256: fast.sha256,
      ...fieldsOf(buildCertWithX509(der, source)),
    })
    expect(fast.x509.serialNumber.toLowerCase()).toBe(fast.serial)
  }
  return accepted
}

const pemDers = (pem: string): Uint8Array[] => x509.PemConverter.decode(pem).map((d) => new Uint8Array(d))

describe('readCertificateDer', () => {
  it("agrees with @peculiar/x509 on Node's bundled root store", () => {
    const ders = rootCertificates.flatMap(pemDers)
    // Most public roots are plain enough for the DER reader.
    expect(expectAgreement(ders)).toBeGreaterThan(ders.length / 2)
  })

  it('finds the subject name the model keys on without reading the rest', () => {
    for (const der of rootCertificates.flatMap(pemDers)) {
      const subject = subjectNameOf(der)
      const model = buildCertWithX509(der, source)
      expect(subject && Buffer.from(subject).toString('hex')).toBe(
        Buffer.from(model.subjectName).toString('hex'),
      )
    }
    expect(subjectNameOf(new Uint8Array([0x30, 0x02, 0x30, 0x00]))).toBeUndefined()
  })

  // x509-limbo's edge cases run when the vectors are present; the generated ones below always run.
  const withLimbo = limbo ? it : it.skip
  withLimbo(
    `agrees with @peculiar/x509 on x509-limbo's certificates${limbo ? '' : ` (${CONFORMANCE_ABSENT})`}`,
    () => {
      const cases = JSON.parse(readFileSync(join(limbo!, 'limbo-subset.json'), 'utf8')).testcases as {
        trusted_certs: string[]
        untrusted_intermediates: string[]
        peer_certificate: string
      }[]
      const ders = cases.flatMap((c) =>
        [...c.trusted_certs, ...c.untrusted_intermediates, c.peer_certificate].flatMap(pemDers),
      )
      expect(expectAgreement(ders)).toBeGreaterThan(ders.length / 2)
    },
  )

  it('reads a web PKI chain itself, and agrees on every extension the model holds', async () => {
    const { root, intermediate, leaf } = await webPki([ext.mustStaple(), ext.ocspNoCheck()])
    const variants: Issued[] = await Promise.all([
      issue({ cn: 'rsa.test', key: 'rsa2048', hash: 'SHA-1', extensions: [ext.keyUsage(0x1ff, false)] }),
      issue({ cn: 'ed.test', key: 'ed25519', extensions: [ext.eku(), ext.notCa()] }),
      issue({ cn: 'p384.test', key: 'ec384', serial: '00ff01', notAfter: new Date('2051-01-01T00:00:00Z') }),
      issue({ cn: 'a+b, "c" <d>; #e ', issuer: intermediate, extensions: [ext.ca(3)] }),
      issue({
        cn: 'names.test',
        extensions: [
          new x509.SubjectAlternativeNameExtension([
            { type: 'dns', value: '*.names.test' },
            { type: 'ip', value: '192.0.2.1' },
            { type: 'email', value: 'ops@names.test' },
            { type: 'url', value: 'https://names.test/' },
          ]),
          ext.aia([], ['http://ca.names.test/a.crt', 'http://ca.names.test/b.p7c']),
          ext.crlDp('http://crl.names.test/1.crl', 'http://crl.names.test/2.crl'),
        ],
      }),
    ])
    const certs = [root, intermediate, leaf, ...variants]
    expect(expectAgreement(certs.map((c) => c.der))).toBe(certs.length)
    expect(readCertificateDer(leaf.der, source)).toMatchObject({ mustStaple: true, ocspNoCheck: true })
  })

  it('leaves name constraints and IPv6 addresses to @peculiar/x509', async () => {
    const constrained = await issue({
      cn: 'constrained.test',
      extensions: [ext.ca(), new x509.Extension('2.5.29.30', true, new Uint8Array([0x30, 0x00]))],
    })
    const ipv6 = await issue({
      cn: 'v6.test',
      extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'ip', value: '2001:db8::1' }])],
    })
    expect(readCertificateDer(constrained.der, source)).toBeUndefined()
    expect(readCertificateDer(ipv6.der, source)).toBeUndefined()
    expect(constrained.model.nameConstraints).toBeDefined()
    expect(ipv6.model.san?.ip).toEqual(['2001:db8::1'])
  })

  it('declines bytes that are not a certificate, leaving the error to the general parser', () => {
    expect(readCertificateDer(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]), source)).toBeUndefined()
    expect(readCertificateDer(new Uint8Array([0x04, 0x00]), source)).toBeUndefined()
  })
})
