import { BlockList, isIP } from 'node:net'

/**
 * Whose URL is being fetched. URLs taken from certificates and responses
 * (AIA, CRL DP, redirects) are attacker-controlled input: a certificate can
 * point the gate at the CI runner's metadata service or an internal admin
 * page (SSRF). URLs the user typed into options are the user's choice.
 */
export type UrlPolicy = 'untrusted' | 'user'

function blockList(ranges: [string, number, 'ipv4' | 'ipv6'][]): BlockList {
  const list = new BlockList()
  for (const [net, prefix, type] of ranges) list.addSubnet(net, prefix, type)
  return list
}

/** Cloud metadata services (AWS, GCP, Azure, AWS IPv6): credentials live there. */
const METADATA_ADDRESSES = blockList([
  ['169.254.169.254', 32, 'ipv4'],
  ['fd00:ec2::254', 128, 'ipv6'],
])
const METADATA_HOSTNAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata'])

/** Link-local (RFC 3927, RFC 4291 §2.5.6): never a legitimate place for a public CA's responder. */
const LINK_LOCAL = blockList([
  ['169.254.0.0', 16, 'ipv4'],
  ['fe80::', 10, 'ipv6'],
])

/** Loopback, private (RFC 1918, RFC 4193) and CGNAT (RFC 6598) ranges: reachable only with allowPrivateNetwork. */
const PRIVATE = blockList([
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
])

/**
 * Why the gate must not connect to `address` (an IP literal, as resolved) for
 * a URL under `policy`, or undefined when it may. Link-local and metadata
 * addresses are refused even with allowPrivateNetwork: no test setup needs
 * them and they are the classic SSRF target. IPv4-mapped IPv6 addresses are
 * judged as the IPv4 address they carry.
 */
export function addressRefusal(
  address: string,
  policy: UrlPolicy,
  allowPrivateNetwork: boolean,
): string | undefined {
  if (policy === 'user') return undefined
  const family = isIP(address)
  if (family === 0) return `${address} is not an IP address`
  const type = family === 4 ? 'ipv4' : 'ipv6'
  if (METADATA_ADDRESSES.check(address, type)) return `${address} is a cloud metadata address`
  if (LINK_LOCAL.check(address, type)) return `${address} is a link-local address`
  if (!allowPrivateNetwork && PRIVATE.check(address, type)) {
    return `${address} is a loopback or private address (pass --allow-private-network to reach it)`
  }
  return undefined
}

/** Why a host name itself must not be contacted (metadata names), before any DNS answer is seen. */
export function hostnameRefusal(hostname: string, policy: UrlPolicy): string | undefined {
  if (policy === 'user') return undefined
  const name = hostname.toLowerCase().replace(/\.$/, '')
  return METADATA_HOSTNAMES.has(name) ? `${hostname} is a cloud metadata host name` : undefined
}
