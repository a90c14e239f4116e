// Builds the chain stage's inputs from test PKI certificates: a pool, trust
// anchors and a clock, as analyzeChains does for a scan.
import { TrustAnchors } from '../../src/chain/anchors.js'
import { buildPath } from '../../src/chain/path.js'
import { IssuerPool } from '../../src/chain/pool.js'
import type { PathContext, PathResult } from '../../src/chain/types.js'
import * as x509 from '../../src/model/x509.js'
import { AsnConvert } from '@peculiar/asn1-schema'
import { GeneralName, GeneralSubtree, GeneralSubtrees, NameConstraints } from '@peculiar/asn1-x509'
import type { Issued } from '../helpers/pki.js'

export interface ChainSetup {
  pool?: Issued[]
  trust?: Issued[]
  now?: Date
  fetchIssuer?: PathContext['fetchIssuer']
  maxIntermediates?: number
}

export function pathContext(setup: ChainSetup): PathContext {
  return {
    pool: new IssuerPool(
      (setup.pool ?? []).map((c) => c.model),
      'scan',
    ),
    anchors: new TrustAnchors({ trusted: (setup.trust ?? []).map((c) => c.model) }),
    now: setup.now ?? new Date(),
    purpose: 'server',
    fetchIssuer: setup.fetchIssuer,
    maxIntermediates: setup.maxIntermediates,
  }
}

export const pathOf = (cert: Issued, setup: ChainSetup): Promise<PathResult> =>
  buildPath(cert.model, pathContext(setup))

/** A critical nameConstraints extension permitting only the given DNS subtrees (RFC 5280 §4.2.1.10). */
export function permitDns(...names: string[]): x509.Extension {
  const permitted = new GeneralSubtrees(
    names.map((dNSName) => new GeneralSubtree({ base: new GeneralName({ dNSName }) })),
  )
  const value = AsnConvert.serialize(new NameConstraints({ permittedSubtrees: permitted }))
  return new x509.Extension('2.5.29.30', true, value)
}
