// Types for scripts/demo-pki.js (plain JavaScript so `npm run demo` needs no build step).

export interface DemoCase {
  /** Path of the certificate file in `certsDir`. */
  file: string
  /** What is wrong with it, as an operator would say it. */
  problem: string
  /** The certgate rule id (or revocation status) that should catch it. */
  rule: string
}

export interface DemoPki {
  /** CA material: keys, openssl.cnf, index files, CRLs. */
  caDir: string
  /** The files to check: one good chain and one file per failure mode. */
  certsDir: string
  /** Root certificate (PEM), the trust anchor to pass as --trust. */
  root: string
  /** Intermediate certificate (PEM), also the OCSP signer. */
  intermediate: string
  intermediateKey: string
  /** The intermediate CA's index.txt, which `openssl ocsp -index` reads. */
  index: string
  /** The correct leaf + intermediate file. */
  goodChain: string
  /** Every other file in certsDir and what is wrong with it. */
  cases: DemoCase[]
  /** URL path (e.g. '/intermediate.crl') → DER file to serve there. */
  published: Record<string, string>
}

export function buildDemoPki(dir: string, urls: { ocspUrl: string; publishUrl: string }): Promise<DemoPki>

/** DNS name of a demo leaf (an example.com name, so nothing real is named). */
export function demoHostname(leafName: string): string
