// The two views of a certificate Certificate Transparency needs (RFC 6962):
// the SignedCertificateTimestampList extension it carries (§3.3), and the
// TBSCertificate as the precertificate had it, which is what each embedded
// SCT signs (§3.2). The precertificate's TBS is the final TBS without the
// SCT list extension; every other byte, extension order included, is the
// same (a CA that issued from a Precertificate Signing Certificate also
// swapped the issuer back, which makes no difference here).
import {
  childrenOf,
  contentOf,
  DerReadError,
  encodingOf,
  expectTag,
  oidOf,
  readElement,
  TAG,
  type DerElement,
} from '../model/der-reader.js'

/** id-ce... the SCT list extension, RFC 6962 §3.3. */
export const SCT_LIST_OID = '1.3.6.1.4.1.11129.2.4.2'

const CONTEXT_3 = 0xa3

interface Located {
  tbs: DerElement
  /** The [3] EXPLICIT Extensions wrapper and the SEQUENCE OF Extension in it. */
  wrapper?: DerElement
  list?: DerElement
  /** The SCT list Extension element and its extnValue OCTET STRING. */
  sct?: { extension: DerElement; value: DerElement }
}

function locate(der: Uint8Array): Located {
  const certificate = expectTag(readElement(der, 0, der.length), TAG.sequence, 'Certificate')
  const tbs = expectTag(childrenOf(der, certificate)[0], TAG.sequence, 'tbsCertificate')
  const fields = childrenOf(der, tbs)
  const wrapper = fields.find((f) => f.tag === CONTEXT_3)
  if (!wrapper) return { tbs }
  const [list, ...extra] = childrenOf(der, wrapper)
  if (!list || extra.length > 0) throw new DerReadError('extensions field is not one SEQUENCE')
  for (const extension of childrenOf(der, expectTag(list, TAG.sequence, 'extensions'))) {
    const parts = childrenOf(der, extension)
    if (oidOf(der, parts[0]) !== SCT_LIST_OID) continue
    const value = expectTag(parts[parts.length - 1], TAG.octetString, 'extnValue')
    return { tbs, wrapper, list, sct: { extension, value } }
  }
  return { tbs, wrapper, list }
}

/**
 * The TLS-encoded SignedCertificateTimestampList the certificate embeds, or
 * undefined when it has none. RFC 6962 §3.3 wraps the list in an OCTET
 * STRING inside extnValue. Throws DerReadError when the DER is not as expected.
 */
export function embeddedSctList(der: Uint8Array): Uint8Array | undefined {
  const { sct } = locate(der)
  if (!sct) return undefined
  const inner = readElement(der, sct.value.start, sct.value.end)
  if (inner.end !== sct.value.end)
    throw new DerReadError('SCT list extension has bytes after its OCTET STRING')
  return contentOf(der, expectTag(inner, TAG.octetString, 'SignedCertificateTimestampList'))
}

/**
 * The precertificate's TBSCertificate (RFC 6962 §3.2): the certificate's TBS
 * re-encoded without the SCT list extension, and without the extensions
 * field altogether when that was the only extension.
 */
export function precertificateTbs(der: Uint8Array): Uint8Array {
  const { tbs, wrapper, list, sct } = locate(der)
  if (!sct || !wrapper || !list) return encodingOf(der, tbs)
  const remaining = childrenOf(der, list).filter((e) => e.offset !== sct.extension.offset)
  const fields = childrenOf(der, tbs).map((field) => {
    if (field.offset !== wrapper.offset) return encodingOf(der, field)
    if (remaining.length === 0) return new Uint8Array(0)
    const sequence = encode(
      TAG.sequence,
      remaining.map((e) => encodingOf(der, e)),
    )
    return encode(CONTEXT_3, [sequence])
  })
  return encode(TAG.sequence, fields)
}

/** One DER element from its tag and content, with the length in its shortest definite form (X.690 §10.1). */
export function encode(tag: number, parts: readonly Uint8Array[]): Uint8Array {
  const length = parts.reduce((sum, p) => sum + p.length, 0)
  const lengthOctets: number[] = []
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) lengthOctets.unshift(rest & 0xff)
  const header = length < 0x80 ? [tag, length] : [tag, 0x80 | lengthOctets.length, ...lengthOctets]
  const out = new Uint8Array(header.length + length)
  out.set(header)
  let at = header.length
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}
