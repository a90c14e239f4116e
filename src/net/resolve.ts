// Host name to the one address the gate connects to. The address policy is
// applied to every answer and the chosen address is then used for the
// connection itself, so a DNS answer that changes between the check and the
// connect (DNS rebinding) cannot slip past the policy. Shared by HTTP (OCSP,
// CRLs, caIssuers) and the TLS probe of endpoints.
import { lookup as dnsLookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { addressRefusal, hostnameRefusal, type UrlPolicy } from './address-policy.js'
import type { Advise } from '../setting-names.js'

/** Every address a host name resolves to, in the resolver's order. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>
export interface ResolvedAddress {
  address: string
  family: number
}

export interface AddressRules {
  policy: UrlPolicy
  allowPrivateNetwork: boolean
  /** Names allow-private-network in a refusal the way the user can set it (the command line's flag unless given). */
  advise?: Advise
  /** How host names are resolved; the system resolver unless a test injects answers. */
  resolve?: HostResolver
}

const systemResolver: HostResolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true })

/** Why no address of a host may be used; `message` is written for the operator. */
export class AddressRefused extends Error {
  constructor(
    readonly kind: 'blocked-address' | 'dns',
    message: string,
  ) {
    super(message)
    this.name = 'AddressRefused'
  }
}

/**
 * The first address of `host` (a name, or an IP literal with or without
 * brackets) that the policy allows. Throws AddressRefused naming every
 * refusal, or the resolver's failure.
 */
export async function resolveAllowed(host: string, rules: AddressRules): Promise<ResolvedAddress> {
  const bare = host.replace(/^\[|\]$/g, '')
  const nameRefusal = hostnameRefusal(bare)
  if (nameRefusal) throw new AddressRefused('blocked-address', `refused, ${nameRefusal}`)
  let addresses: ResolvedAddress[]
  if (isIP(bare)) {
    addresses = [{ address: bare, family: isIP(bare) }]
  } else {
    try {
      addresses = await (rules.resolve ?? systemResolver)(bare)
    } catch (error) {
      throw new AddressRefused('dns', `cannot resolve ${bare} (${(error as Error).message})`)
    }
  }
  const refusals: string[] = []
  for (const candidate of addresses) {
    const refusal = addressRefusal(candidate.address, rules.policy, rules.allowPrivateNetwork, rules.advise)
    if (!refusal) return candidate
    refusals.push(refusal)
  }
  throw new AddressRefused('blocked-address', `refused by the address policy, ${refusals.join('; ')}`)
}
