// Which addresses the gate may connect to. URLs taken from certificates and
// responses, and endpoints named in a repository's config file, are a
// stranger's input: they could point the gate at the runner's metadata
// service (credentials) or an internal admin page (SSRF), or use it as a port
// scanner. One table holds every range that is not plain public unicast,
// each with the document that defines it; an IPv6 address that carries an
// IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) is judged by the
// IPv4 address inside as well, since that is where the packets end up.
import { isIP } from 'node:net'
import { flagAdvice, type Advise } from '../setting-names.js'

/**
 * Whose URL or endpoint is being reached. `untrusted`: taken from
 * certificates, responses, redirects or a config file. `user`: typed into
 * the command line or the workflow; still never link-local or metadata.
 */
export type UrlPolicy = 'untrusted' | 'user'

/**
 * What a range is, most severe first. metadata and link-local: never
 * contacted, whoever names them (DESIGN "Endpoints"). special: not
 * globally reachable and never a place a CA publishes to (documentation,
 * benchmarking, multicast, reserved); refused for untrusted input. private:
 * loopback and private networks, for untrusted input only with
 * allow-private-network.
 */
type AddressClass = 'metadata' | 'link-local' | 'special' | 'private'
const SEVERITY: readonly AddressClass[] = ['metadata', 'link-local', 'special', 'private']

/** Where the IPv4 address sits inside an IPv6 address of a range (byte offsets, RFC 6052 §2.2 for NAT64). */
type Embedding = { bytes: number[]; inverted?: boolean }
const LAST_32_BITS: Embedding = { bytes: [12, 13, 14, 15] }

interface Range {
  cidr: string
  class?: AddressClass
  /** The IPv4 address this range carries, judged too. */
  embeds?: Embedding
  /** The RFC, registry or provider documentation that defines the range. */
  source: string
}

/**
 * Special-purpose ranges (IANA IPv4 and IPv6 Special-Purpose Address
 * Registries, RFC 6890 and its updates) and cloud metadata endpoints. A
 * globally reachable special-purpose block (AS112, AMT) is not listed.
 */
const RANGES: readonly Range[] = [
  // IPv4
  {
    cidr: '0.0.0.0/8',
    class: 'private',
    source: 'RFC 1122 §3.2.1.3 "this host" (Linux connects it to loopback)',
  },
  { cidr: '10.0.0.0/8', class: 'private', source: 'RFC 1918' },
  { cidr: '100.64.0.0/10', class: 'private', source: 'RFC 6598 shared address space (carrier-grade NAT)' },
  { cidr: '100.100.100.200/32', class: 'metadata', source: 'Alibaba Cloud ECS instance metadata' },
  { cidr: '127.0.0.0/8', class: 'private', source: 'RFC 1122 §3.2.1.3 loopback' },
  {
    cidr: '168.63.129.16/32',
    class: 'metadata',
    source: 'Azure WireServer host endpoint (hosted runners run on Azure)',
  },
  { cidr: '169.254.0.0/16', class: 'link-local', source: 'RFC 3927' },
  {
    cidr: '169.254.169.254/32',
    class: 'metadata',
    source: 'AWS EC2, Google Cloud, Azure IMDS, Oracle Cloud instance metadata',
  },
  { cidr: '169.254.170.2/32', class: 'metadata', source: 'AWS ECS task metadata and credentials' },
  { cidr: '172.16.0.0/12', class: 'private', source: 'RFC 1918' },
  {
    cidr: '192.0.0.0/24',
    class: 'special',
    source: 'RFC 6890 §2.2.2 IETF protocol assignments (192.0.0.192: Oracle Cloud Classic metadata)',
  },
  { cidr: '192.0.2.0/24', class: 'special', source: 'RFC 5737 documentation (TEST-NET-1)' },
  { cidr: '192.88.99.0/24', class: 'special', source: 'RFC 7526 deprecated 6to4 relay anycast' },
  { cidr: '192.168.0.0/16', class: 'private', source: 'RFC 1918' },
  { cidr: '198.18.0.0/15', class: 'special', source: 'RFC 2544 benchmarking' },
  { cidr: '198.51.100.0/24', class: 'special', source: 'RFC 5737 documentation (TEST-NET-2)' },
  { cidr: '203.0.113.0/24', class: 'special', source: 'RFC 5737 documentation (TEST-NET-3)' },
  { cidr: '224.0.0.0/4', class: 'special', source: 'RFC 5771 multicast' },
  { cidr: '240.0.0.0/4', class: 'special', source: 'RFC 1112 §4 reserved, and RFC 919 limited broadcast' },
  // IPv6
  { cidr: '::/128', class: 'private', source: 'RFC 4291 §2.5.2 unspecified (Linux connects it to loopback)' },
  { cidr: '::1/128', class: 'private', source: 'RFC 4291 §2.5.3 loopback' },
  { cidr: '::/96', embeds: LAST_32_BITS, source: 'RFC 4291 §2.5.5.1 IPv4-compatible (deprecated)' },
  { cidr: '::ffff:0:0/96', embeds: LAST_32_BITS, source: 'RFC 4291 §2.5.5.2 IPv4-mapped' },
  { cidr: '64:ff9b::/96', embeds: LAST_32_BITS, source: 'RFC 6052 NAT64 well-known prefix' },
  {
    cidr: '64:ff9b:1::/48',
    class: 'private',
    embeds: { bytes: [6, 7, 9, 10] },
    source: 'RFC 8215 local-use NAT64 prefix (IPv4 placed as RFC 6052 §2.2 says for a /48)',
  },
  { cidr: '100::/64', class: 'special', source: 'RFC 6666 discard-only' },
  { cidr: '2001::/23', class: 'special', source: 'RFC 2928 IETF protocol assignments' },
  {
    cidr: '2001::/32',
    embeds: { bytes: [12, 13, 14, 15], inverted: true },
    source: 'RFC 4380 §4 Teredo (the client IPv4 address is stored inverted)',
  },
  { cidr: '2001:db8::/32', class: 'special', source: 'RFC 3849 documentation' },
  { cidr: '2002::/16', embeds: { bytes: [2, 3, 4, 5] }, source: 'RFC 3056 §2 6to4' },
  { cidr: '3fff::/20', class: 'special', source: 'RFC 9637 documentation' },
  { cidr: '5f00::/16', class: 'special', source: 'RFC 9602 SRv6 segment identifiers' },
  { cidr: 'fc00::/7', class: 'private', source: 'RFC 4193 unique local' },
  { cidr: 'fd00:ec2::254/128', class: 'metadata', source: 'AWS EC2 instance metadata over IPv6' },
  { cidr: 'fe80::/10', class: 'link-local', source: 'RFC 4291 §2.5.6' },
  { cidr: 'fec0::/10', class: 'private', source: 'RFC 3879 site-local (deprecated)' },
  { cidr: 'ff00::/8', class: 'special', source: 'RFC 4291 §2.7 multicast' },
]

/** Cloud metadata services reached by name (Google Cloud; `metadata` is its short name on the VM). */
const METADATA_HOSTNAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata'])

interface ParsedRange extends Range {
  network: Uint8Array
  prefix: number
}

const PARSED: readonly ParsedRange[] = RANGES.map((range) => {
  const [address, prefix] = range.cidr.split('/')
  return { ...range, network: addressBytes(address), prefix: Number(prefix) }
})

/** The 4 or 16 bytes of an IP literal that isIP() accepted (an IPv6 zone, `%eth0`, is dropped). */
function addressBytes(address: string): Uint8Array {
  if (isIP(address) === 4) return Uint8Array.from(address.split('.').map(Number))
  let text = address.replace(/%.*$/, '')
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text)
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number)
    text = text.slice(0, dotted.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined]
  const groups = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : [])
  const front = groups(head)
  const back = groups(tail)
  const all = [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back]
  const bytes = new Uint8Array(16)
  all.forEach((group, i) => {
    bytes[2 * i] = group >> 8
    bytes[2 * i + 1] = group & 0xff
  })
  return bytes
}

function inRange(bytes: Uint8Array, range: ParsedRange): boolean {
  if (bytes.length !== range.network.length) return false
  for (let bit = 0; bit < range.prefix; bit += 8) {
    const mask = 0xff << (8 - Math.min(8, range.prefix - bit))
    if ((bytes[bit / 8] & mask) !== (range.network[bit / 8] & mask)) return false
  }
  return true
}

interface Judgement {
  class: AddressClass
  /** What the address is, for the message: "Alibaba Cloud ECS instance metadata (100.100.100.200)". */
  what: string
}

/** The most severe class among the ranges holding `bytes` and the IPv4 addresses they embed. */
function judge(bytes: Uint8Array): Judgement | undefined {
  let worst: Judgement | undefined
  const consider = (j: Judgement | undefined) => {
    if (j && (!worst || SEVERITY.indexOf(j.class) < SEVERITY.indexOf(worst.class))) worst = j
  }
  for (const range of PARSED) {
    if (!inRange(bytes, range)) continue
    if (range.class) consider({ class: range.class, what: range.source })
    if (range.embeds) {
      const ipv4 = Uint8Array.from(range.embeds.bytes, (i) =>
        range.embeds!.inverted ? ~bytes[i] & 0xff : bytes[i],
      )
      const inner = judge(ipv4)
      if (inner)
        consider({ class: inner.class, what: `${inner.what}, as ${ipv4.join('.')} inside ${range.source}` })
    }
  }
  return worst
}

/**
 * judge() by address text, remembered: a run asks one responder once per
 * certificate, and the answer for an address never changes. Bounded, as the
 * addresses come from DNS answers.
 */
const judgements = new Map<string, Judgement | undefined>()
const JUDGEMENTS_KEPT = 1024

function judgeAddress(address: string): Judgement | undefined {
  if (judgements.has(address)) return judgements.get(address)
  const judged = judge(addressBytes(address))
  if (judgements.size >= JUDGEMENTS_KEPT) judgements.clear()
  judgements.set(address, judged)
  return judged
}

const REFUSAL: Record<AddressClass, string> = {
  metadata: 'a cloud metadata address',
  'link-local': 'a link-local address',
  special: 'a special-purpose address',
  private: 'a loopback or private address',
}

/**
 * Why the gate must not connect to `address` (an IP literal, as resolved)
 * under `policy`, or undefined when it may. Link-local and metadata
 * addresses are refused whoever named them: no test setup needs them and
 * they are the classic SSRF target. For untrusted input special-purpose
 * addresses are refused too, and loopback and private ones unless
 * allowPrivateNetwork.
 */
export function addressRefusal(
  address: string,
  policy: UrlPolicy,
  allowPrivateNetwork: boolean,
  advise: Advise = flagAdvice,
): string | undefined {
  if (isIP(address) === 0) return `${address} is not an IP address`
  const judged = judgeAddress(address)
  if (!judged) return undefined
  const refused =
    judged.class === 'metadata' ||
    judged.class === 'link-local' ||
    (policy === 'untrusted' && (judged.class === 'special' || !allowPrivateNetwork))
  if (!refused) return undefined
  const hint = judged.class === 'private' ? `; pass ${advise('allow-private-network')} to reach it` : ''
  return `${address} is ${REFUSAL[judged.class]} (${judged.what})${hint}`
}

/** Why a host name itself must not be contacted (metadata names), before any DNS answer is seen. */
export function hostnameRefusal(hostname: string): string | undefined {
  const name = hostname.toLowerCase().replace(/\.$/, '')
  return METADATA_HOSTNAMES.has(name) ? `${hostname} is a cloud metadata host name` : undefined
}
