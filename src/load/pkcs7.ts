import type * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'

const SIGNED_DATA = '1.2.840.113549.1.7.2'

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
 */
export function readPkcs7(der: Uint8Array): Pkcs7Contents {
  const contentInfo = pkijs.ContentInfo.fromBER(der)
  if (contentInfo.contentType !== SIGNED_DATA) {
    throw new Error(`content type ${contentInfo.contentType} is not SignedData`)
  }
  // Constructing SignedData validates the schema; the raw elements are read from the same ASN.1 tree.
  new pkijs.SignedData({ schema: contentInfo.content })
  const fields = (contentInfo.content as asn1js.Sequence).valueBlock.value
  // certificates [0] IMPLICIT CertificateSet, crls [1] IMPLICIT RevocationInfoChoices
  const members = (tagNumber: number): asn1js.AsnType[] =>
    (
      fields.find((f) => f.idBlock.tagClass === 3 && f.idBlock.tagNumber === tagNumber) as
        asn1js.Constructed | undefined
    )?.valueBlock.value ?? []
  // Only plain Certificate / CertificateList SEQUENCEs; attribute certificates and other formats are tagged.
  const plain = (element: asn1js.AsnType) =>
    element.idBlock.tagClass === 1 && element.idBlock.tagNumber === 16
  const all = [...members(0), ...members(1)]
  const derOf = (tagNumber: number) =>
    members(tagNumber)
      .filter(plain)
      .map((element) => element.valueBeforeDecodeView.slice())
  return { certificates: derOf(0), crls: derOf(1), others: all.filter((e) => !plain(e)).length }
}
