// The revocation stage of check(): one verdict per certificate and per stored
// OCSP response. Until the revocation engine is wired in, every certificate
// is reported as skipped, never silently as good.
import type { ChainAnalysis } from './chains.js'
import type { LoadedFile } from './load/types.js'
import type { Cert } from './model/cert.js'
import type { Revocation } from './model/types.js'
import type { CheckOptions } from './options.js'

export interface RevocationVerdicts {
  of(cert: Cert): Revocation
  ofFile(file: LoadedFile): { revocation?: Revocation; serial?: string }
}

export async function checkRevocations(
  _files: readonly LoadedFile[],
  chains: ChainAnalysis,
  input: { options: CheckOptions; responderCerts: Cert[]; onInFlight: (n: number) => void },
): Promise<RevocationVerdicts> {
  const skipped = (detail: string): Revocation => ({ source: 'none', status: 'skipped', detail })
  return {
    of: (cert) =>
      chains.of(cert).role === 'root'
        ? skipped('trust anchors are not checked for revocation')
        : input.options.revocation === 'off'
          ? skipped('--revocation off')
          : skipped('revocation checking is not available in this build'),
    ofFile: () => ({}),
  }
}
