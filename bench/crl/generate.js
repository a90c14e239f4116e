// A CDN-sized CRL made by the bench: the DER of a CertificateList (RFC 5280
// §5.1) written straight into one buffer and signed with node:crypto.
// `openssl ca -gencrl` would need a million-line index and takes minutes;
// this takes about a second. Entries are in random serial order, as a CA's
// database order leaves them, so the indexer's sort is exercised.
import { AsnConvert } from '@peculiar/asn1-schema'
import { Certificate } from '@peculiar/asn1-x509'
import { KeyObject, randomFillSync, sign } from 'node:crypto'
import { utcTime } from '../lib/pki.js'

const SERIAL_BYTES = 16
/** SEQUENCE { userCertificate INTEGER(16), revocationDate UTCTime, crlEntryExtensions { reasonCode } } */
const ENTRY_BYTES = 2 + (2 + SERIAL_BYTES) + 15 + 14
/** AlgorithmIdentifier ecdsa-with-SHA256 (RFC 5758 §3.2: parameters absent). */
const ECDSA_SHA256 = Buffer.from('300a06082a8648ce3d040302', 'hex')
/** crlEntryExtensions: reasonCode (2.5.29.21) keyCompromise, not critical. */
const REASON_KEY_COMPROMISE = Buffer.from('300c300a0603551d1504030a0101', 'hex')

/**
 * Builds and signs a CRL with `count` entries issued by `issuerCert` (an EC
 * P-256 CA): random serials, with `listed` (lower-case hex, 16 bytes each)
 * among them at spread-out positions. Returns the DER and the serials, so the
 * caller can ask about entries known to be there. With `shardUrl`, the CRL is
 * one partition: a critical Issuing Distribution Point names that URL and
 * onlyContainsUserCerts (RFC 5280 §5.2.5, BR 7.2.2.1).
 * @param {{ issuerCert: import('@peculiar/x509').X509Certificate, issuerKey: CryptoKey, count: number, listed: string[], thisUpdate: Date, nextUpdate: Date, shardUrl?: string }} options
 */
export function generateCrl({ issuerCert, issuerKey, count, listed, thisUpdate, nextUpdate, shardUrl }) {
  const issuerName = Buffer.from(
    AsnConvert.serialize(AsnConvert.parse(issuerCert.rawData, Certificate).tbsCertificate.subject),
  )
  const entries = Buffer.alloc(count * ENTRY_BYTES)
  const serials = Buffer.alloc(count * SERIAL_BYTES)
  randomFillSync(serials)
  const stride = Math.max(1, Math.floor(count / Math.max(1, listed.length)))
  listed.forEach((hex, i) => Buffer.from(hex, 'hex').copy(serials, ((i * stride) % count) * SERIAL_BYTES))
  const revocationDate = Buffer.from(utcTime(new Date(thisUpdate.getTime() - 86_400_000)), 'latin1')
  for (let i = 0, at = 0; i < count; i++) {
    const serialAt = i * SERIAL_BYTES
    // Positive and without a leading zero octet, as certificate serials are (RFC 5280 §4.1.2.2).
    serials[serialAt] = (serials[serialAt] & 0x7f) | 0x10
    entries[at++] = 0x30
    entries[at++] = ENTRY_BYTES - 2
    entries[at++] = 0x02
    entries[at++] = SERIAL_BYTES
    at += serials.copy(entries, at, serialAt, serialAt + SERIAL_BYTES)
    entries[at++] = 0x17
    entries[at++] = 13
    at += revocationDate.copy(entries, at)
    at += REASON_KEY_COMPROMISE.copy(entries, at)
  }

  const extensions = [
    tlv(0x30, [Buffer.from('0603551d14', 'hex'), tlv(0x04, [tlv(0x02, [Buffer.from([1])])])]),
  ]
  if (shardUrl) {
    // IssuingDistributionPoint { distributionPoint [0] { fullName [0] { uniformResourceIdentifier [6] } }, onlyContainsUserCerts [1] TRUE }
    const idp = tlv(0x30, [
      tlv(0xa0, [tlv(0xa0, [tlv(0x86, [Buffer.from(shardUrl, 'latin1')])])]),
      Buffer.from('8101ff', 'hex'),
    ])
    extensions.push(
      tlv(0x30, [Buffer.from('0603551d1c', 'hex'), Buffer.from('0101ff', 'hex'), tlv(0x04, [idp])]),
    )
  }
  const crlExtensions = tlv(0xa0, [tlv(0x30, extensions)])
  const tbs = tlv(0x30, [
    Buffer.from('020101', 'hex'), // version v2
    ECDSA_SHA256,
    issuerName,
    tlv(0x17, [Buffer.from(utcTime(thisUpdate), 'latin1')]),
    tlv(0x17, [Buffer.from(utcTime(nextUpdate), 'latin1')]),
    tlv(0x30, [entries]),
    crlExtensions,
  ])
  const signature = sign('sha256', tbs, KeyObject.from(issuerKey))
  const der = tlv(0x30, [tbs, ECDSA_SHA256, tlv(0x03, [Buffer.from([0]), signature])])
  return { der, serials }
}

/** One DER tag-length-value with a definite length in minimal form. */
function tlv(tag, parts) {
  const body = Buffer.concat(parts)
  let length = body.length
  const lengthBytes = []
  if (length < 0x80) lengthBytes.push(length)
  else {
    while (length > 0) {
      lengthBytes.unshift(length & 0xff)
      length = Math.floor(length / 256)
    }
    lengthBytes.unshift(0x80 | lengthBytes.length)
  }
  return Buffer.concat([Buffer.from([tag, ...lengthBytes]), body])
}
