// Verifies the signature on a certificate from its DER with node:crypto,
// without handing the whole certificate to OpenSSL to parse: in a scan of
// thousands of leaves that parse cost more than the verification itself.
import { createPublicKey, verify, type KeyObject } from 'node:crypto'
import type { Cert } from '../model/cert.js'
import { childrenOf, contentOf, encodingOf, oidOf, readElement, TAG } from '../model/der-reader.js'
import { SIGNATURE_DIGESTS } from '../revocation/signature-digests.js'

/** The parts of a certificate its signature covers and carries (RFC 5280 §4.1.1). */
export interface SignedParts {
  tbs: Uint8Array
  /** Outer signatureAlgorithm OID. */
  algorithm: string
  signature: Uint8Array
}

/** The key type each signature algorithm needs, so a key of another type never passes for it. */
const KEY_TYPE_OF_ALGORITHM: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.5': 'rsa',
  '1.2.840.113549.1.1.14': 'rsa',
  '1.2.840.113549.1.1.11': 'rsa',
  '1.2.840.113549.1.1.12': 'rsa',
  '1.2.840.113549.1.1.13': 'rsa',
  '1.2.840.10045.4.1': 'ec',
  '1.2.840.10045.4.3.1': 'ec',
  '1.2.840.10045.4.3.2': 'ec',
  '1.2.840.10045.4.3.3': 'ec',
  '1.2.840.10045.4.3.4': 'ec',
  '1.3.101.112': 'ed25519',
  '1.3.101.113': 'ed448',
}

/**
 * The signed parts of `der` when its signature can be checked here: a
 * PKCS#1 v1.5, ECDSA or EdDSA signature, the outer signatureAlgorithm equal
 * to the one inside tbsCertificate (RFC 5280 §4.1.1.2; OpenSSL refuses the
 * certificate otherwise) and no unused bits in the signature. Undefined for
 * anything else (RSASSA-PSS parameters, DSA, malformed bytes).
 */
export function signedPartsOf(der: Uint8Array): SignedParts | undefined {
  try {
    const [tbs, algorithm, signature, ...rest] = childrenOf(der, readElement(der, 0, der.length))
    if (rest.length > 0 || signature?.tag !== TAG.bitString || der[signature.start] !== 0) return undefined
    const fields = childrenOf(der, tbs)
    const inner = fields[fields[0]?.tag === 0xa0 ? 2 : 1]
    if (!inner || !Buffer.from(encodingOf(der, inner)).equals(encodingOf(der, algorithm))) return undefined
    const oid = oidOf(der, childrenOf(der, algorithm)[0])
    if (!(oid in KEY_TYPE_OF_ALGORITHM)) return undefined
    return {
      tbs: encodingOf(der, tbs),
      algorithm: oid,
      signature: contentOf(der, signature).subarray(1),
    }
  } catch {
    return undefined
  }
}

const publicKeys = new WeakMap<Cert, KeyObject | null>()

/** The certificate's public key as node:crypto uses it, made once per certificate; null when unusable. */
export function publicKeyObjectOf(cert: Cert): KeyObject | null {
  let key = publicKeys.get(cert)
  if (key === undefined) {
    try {
      key = createPublicKey({ key: Buffer.from(cert.spki), format: 'der', type: 'spki' })
    } catch {
      key = null
    }
    publicKeys.set(cert, key)
  }
  return key
}

/**
 * Whether `parts` carries a valid signature by `key`. The key must be of the
 * algorithm's type (an RSA key never verifies an ECDSA-labelled signature).
 */
export function verifySignedParts(parts: SignedParts, key: KeyObject): boolean {
  if (key.asymmetricKeyType !== KEY_TYPE_OF_ALGORITHM[parts.algorithm]) return false
  try {
    return verify(SIGNATURE_DIGESTS[parts.algorithm] ?? null, parts.tbs, key, parts.signature)
  } catch {
    return false
  }
}

/**
 * verifySignedParts() in libuv's thread pool (crypto.verify with a callback),
 * for callers with other work for the main thread meanwhile.
 */
export function verifySignedPartsInPool(parts: SignedParts, key: KeyObject): Promise<boolean> {
  if (key.asymmetricKeyType !== KEY_TYPE_OF_ALGORITHM[parts.algorithm]) return Promise.resolve(false)
  return new Promise((resolve) => {
    try {
      verify(SIGNATURE_DIGESTS[parts.algorithm] ?? null, parts.tbs, key, parts.signature, (error, valid) =>
        resolve(!error && valid),
      )
    } catch {
      resolve(false)
    }
  })
}
