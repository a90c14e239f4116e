import { BlockList, isIP } from 'node:net'
import type { Cert } from '../model/cert.js'

const ipFamily = (address: string): 'ipv4' | 'ipv6' | undefined => {
  const version = isIP(address)
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : undefined
}

/** Whether `address` lies in the CIDR block `network/prefix`; false for anything malformed. */
export function ipInBlock(address: string, block: string): boolean {
  const [network, prefixText] = block.split('/')
  const family = ipFamily(network)
  const prefix = Number(prefixText)
  if (!family || family !== ipFamily(address) || !/^\d+$/.test(prefixText ?? '')) return false
  if (prefix > (family === 'ipv4' ? 32 : 128)) return false
  const list = new BlockList()
  list.addSubnet(network, prefix, family)
  return list.check(address, family)
}

/** Same IP address in any textual form ('::1' and '0:0:0:0:0:0:0:1'). */
export function sameIp(a: string, b: string): boolean {
  const family = ipFamily(a)
  return family !== undefined && ipInBlock(b, `${a}/${family === 'ipv4' ? 32 : 128}`)
}

/**
 * RFC 6125 §6.4 DNS-ID matching of one presented name: case-insensitive,
 * trailing dot ignored, a wildcard only as the whole left-most label and
 * covering exactly one label (`*.example.com` matches `a.example.com`, not
 * `example.com` or `a.b.example.com`), never over a public suffix-like
 * two-label name (`*.com`).
 */
export function dnsNameMatches(presented: string, reference: string): boolean {
  const normalise = (name: string) => name.toLowerCase().replace(/\.$/, '')
  const pattern = normalise(presented)
  const name = normalise(reference)
  if (!pattern.startsWith('*.')) return pattern === name
  const suffix = pattern.slice(2)
  if (suffix.includes('*') || suffix.split('.').length < 2) return false
  const dot = name.indexOf('.')
  return dot > 0 && name.slice(dot + 1) === suffix
}

/**
 * Whether the certificate is for `name` (RFC 6125 §6; RFC 9525 drops the
 * CN fallback, as browsers did): an IP address is compared with iPAddress
 * SANs only, a host name with dNSName SANs only.
 */
export function hostnameMatches(cert: Cert, name: string): boolean {
  const san = cert.san
  if (!san) return false
  const host = name.replace(/^\[(.*)\]$/, '$1')
  if (ipFamily(host)) return san.ip.some((ip) => sameIp(ip, host))
  return san.dns.some((dns) => dnsNameMatches(dns, host))
}
