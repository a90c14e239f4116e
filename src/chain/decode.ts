import { findPemBlocks } from '../load/pem.js'
import { x509 } from '../model/libraries.js'
import { buildCert } from '../model/build.js'
import type { Cert } from '../model/cert.js'

/**
 * Certificates from bytes of unknown form: PEM (any number of blocks), DER,
 * or a certs-only PKCS#7 bundle, as AIA caIssuers URLs serve them
 * (RFC 5280 §4.2.2.1). Returns [] for anything else; never throws.
 */
export function decodeCertificates(bytes: Uint8Array, file: string): Cert[] {
  const text = Buffer.from(bytes).toString('latin1')
  try {
    if (text.includes('-----BEGIN ')) {
      // Blocks that are not valid base64, and private keys, have no DER: they are nobody's certificate.
      return findPemBlocks(text).flatMap((block, index) => (block.der ? fromDer(block.der, file, index) : []))
    }
    return fromDer(bytes, file, 0)
  } catch {
    return []
  }
}

function fromDer(der: Uint8Array, file: string, index: number): Cert[] {
  try {
    return [buildCert(der, { file, line: 1, index })]
  } catch {
    try {
      return new (x509().X509Certificates)(der).map((c, i) =>
        buildCert(new Uint8Array(c.rawData), { file, line: 1, index: index + i }),
      )
    } catch {
      return []
    }
  }
}
