import type * as asn1js from 'asn1js'
import {
  childrenOf,
  DerReadError,
  encodingOf,
  expectTag,
  oidOf,
  readElement,
  TAG,
  type DerElement,
} from '../model/der-reader.js'
import { pkijs } from '../model/libraries.js'

const SIGNED_DATA = '1.2.840.113549.1.7.2'
/** [0] EXPLICIT (ContentInfo's content), [0] and [1] IMPLICIT SET OF (certificates, crls). */
const EXPLICIT_0 = 0xa0
const IMPLICIT_0 = 0xa0
const IMPLICIT_1 = 0xa1

/** The certificates and CRLs a PKCS#7 / CMS SignedData carries, each as its own DER. */
export interface Pkcs7Contents {
  certificates: Uint8Array[]
  crls: Uint8Array[]
  /** Members in other formats (attribute certificates, other revocation info): not read, so reported. */
  others: number
}

/**
 * Extracts the certificates (and CRLs) of a certs-only PKCS#7 bundle
 * (RFC 5652 §5.1 SignedData, as `openssl crl2pkcs7` and Windows .p7b exports
 * write it). The bytes of each certificate are taken as encoded in the bundle,
 * never re-encoded, so fingerprints match the issued certificate. Throws with
 * a short reason when the data is not a SignedData ContentInfo.
 *
 * A DER bundle is walked element by element, whatever its size: asn1js
 * refuses a tree of more than 10,000 nodes, about 250 certificates (a bundle
 * of ~90 KiB), which openssl reads. CMS allows BER (RFC 5652 §1), so a bundle
 * in an indefinite-length form goes to pkijs, within asn1js's bounds.
 */
export function readPkcs7(der: Uint8Array): Pkcs7Contents {
  let definite: Pkcs7Contents | undefined
  try {
    definite = readDerPkcs7(der)
  } catch (error) {
    if (!(error instanceof DerReadError)) throw error
  }
  return definite ?? readBerPkcs7(der)
}

/** RFC 5652 §3 ContentInfo and §5.1 SignedData, read with the strict DER reader; DerReadError when it is not DER. */
function readDerPkcs7(der: Uint8Array): Pkcs7Contents {
  const contentInfo = expectTag(readElement(der, 0, der.length), TAG.sequence, 'ContentInfo')
  const [contentType, content, ...extra] = childrenOf(der, contentInfo)
  if (!contentType || !content || extra.length) throw new DerReadError('ContentInfo has not two fields')
  const type = oidOf(der, contentType)
  if (type !== SIGNED_DATA) throw new Error(`content type ${type} is not SignedData`)
  const [signedData, ...more] = childrenOf(der, expectTag(content, EXPLICIT_0, 'content'))
  if (!signedData || more.length) throw new DerReadError('content [0] holds not one SignedData')
  const fields = childrenOf(der, expectTag(signedData, TAG.sequence, 'SignedData'))
  // version, digestAlgorithms, encapContentInfo, [0] certificates?, [1] crls?, signerInfos
  const [version, digestAlgorithms, encapContentInfo] = fields
  expectTag(version ?? missing('version'), TAG.integer, 'SignedData version')
  expectTag(digestAlgorithms ?? missing('digestAlgorithms'), TAG.set, 'digestAlgorithms')
  expectTag(encapContentInfo ?? missing('encapContentInfo'), TAG.sequence, 'encapContentInfo')
  let at = 3
  const optional = (tag: number) => (fields[at]?.tag === tag ? childrenOf(der, fields[at++]) : [])
  const certificates = optional(IMPLICIT_0)
  const crls = optional(IMPLICIT_1)
  expectTag(fields[at++] ?? missing('signerInfos'), TAG.set, 'signerInfos')
  if (at !== fields.length) throw new DerReadError('SignedData has fields after signerInfos')
  // Only plain Certificate / CertificateList SEQUENCEs; attribute certificates and other formats are tagged.
  const plain = (members: DerElement[]) =>
    members.filter((m) => m.tag === TAG.sequence).map((m) => encodingOf(der, m).slice())
  const crlList = plain(crls)
  // pkijs's SignedData schema parsed every CRL of the bundle; each one still
  // is, so a damaged CRL fails the bundle as it did (certificates are read
  // strictly one by one later anyway).
  for (const crl of crlList) pkijs().CertificateRevocationList.fromBER(crl)
  return {
    certificates: plain(certificates),
    crls: crlList,
    others: [...certificates, ...crls].filter((m) => m.tag !== TAG.sequence).length,
  }
}

const missing = (field: string): never => {
  throw new DerReadError(`SignedData has no ${field}`)
}

/** The same through pkijs, which reads BER: for bundles in an indefinite-length form. */
function readBerPkcs7(der: Uint8Array): Pkcs7Contents {
  const contentInfo = pkijs().ContentInfo.fromBER(der)
  if (contentInfo.contentType !== SIGNED_DATA) {
    throw new Error(`content type ${contentInfo.contentType} is not SignedData`)
  }
  // Constructing SignedData validates the schema; the raw elements are read from the same ASN.1 tree.
  new (pkijs().SignedData)({ schema: contentInfo.content })
  const fields = (contentInfo.content as asn1js.Sequence).valueBlock.value
  // certificates [0] IMPLICIT CertificateSet, crls [1] IMPLICIT RevocationInfoChoices
  const members = (tagNumber: number): asn1js.AsnType[] =>
    (
      fields.find((f) => f.idBlock.tagClass === 3 && f.idBlock.tagNumber === tagNumber) as
        asn1js.Constructed | undefined
    )?.valueBlock.value ?? []
  const plain = (element: asn1js.AsnType) =>
    element.idBlock.tagClass === 1 && element.idBlock.tagNumber === 16
  const all = [...members(0), ...members(1)]
  const derOf = (tagNumber: number) =>
    members(tagNumber)
      .filter(plain)
      .map((element) => element.valueBeforeDecodeView.slice())
  return { certificates: derOf(0), crls: derOf(1), others: all.filter((e) => !plain(e)).length }
}
