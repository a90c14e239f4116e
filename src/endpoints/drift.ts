// Endpoint drift (`--endpoint HOST[:PORT]=FILE`, config `endpoints: [{host,
// serves}]`): after a deploy, what a server sends must be what the
// repository holds. A server still serving last year's leaf (a reload that
// never happened, one node of a pool forgotten) or the right leaf with
// another chain is found by the scheduled check, not by the clients.
import { discoverFiles, loadFiles } from '../load/index.js'
import type { LoadedFile } from '../load/types.js'
import type { Cert } from '../model/cert.js'
import type { Finding } from '../model/types.js'
import type { CheckOptions } from '../options.js'
import { UsageError } from '../options.js'
import { parseEndpoint } from './index.js'

/**
 * Loads every file an endpoint must serve, keyed by the path as given. A
 * path that matches nothing is a usage error; one from a config file is read
 * only inside `options.confineTo`, like every repository path.
 */
export async function loadServedFiles(options: CheckOptions): Promise<Map<string, LoadedFile>> {
  const paths = [...new Set(options.endpoints.flatMap((e) => parseEndpoint(e).serves ?? []))]
  const loaded = new Map<string, LoadedFile>()
  for (const path of paths) {
    const { files, missing } = await discoverFiles([path], {
      cwd: options.cwd,
      ...(options.confineTo ? { confineTo: options.confineTo } : {}),
    })
    if (missing.length || files.length !== 1)
      throw new UsageError(
        `${options.settingName('endpoint')}: =${path} ${missing.length ? 'is no such file' : 'names more than one file'}; name the certificate file the endpoint must serve`,
      )
    loaded.set(path, (await loadFiles(files, options.cwd))[0])
  }
  return loaded
}

/** The leaf a file holds: its first certificate that is not a CA, else its first. */
const leafOf = (certs: readonly Cert[]): Cert | undefined =>
  certs.find((c) => !c.basicConstraints?.ca) ?? certs[0]

/** What a server sends above the leaf; roots are left out on both sides (RFC 8446 §4.4.2 lets servers omit them). */
const chainAbove = (certs: readonly Cert[], leaf: Cert): Cert[] =>
  certs.filter((c) => c !== leaf && !c.selfIssued)

const describe = (c: Cert): string => `${c.subject} (SHA-256 ${c.sha256})`

/**
 * The drift between what `label` served and `expected` holds, as one
 * message, or undefined when they agree. `servedProblems` are the error
 * findings on the served chain, named so the message says what is wrong
 * with what is out there now.
 */
export function driftMessage(
  label: string,
  served: readonly Cert[],
  expected: LoadedFile,
  servedProblems: readonly Finding[],
): string | undefined {
  const servedLeaf = served[0]
  const expectedLeaf = leafOf(expected.certs)
  if (!servedLeaf) return undefined
  const problems = [...new Set(servedProblems.map((f) => f.rule))]
  const tail = problems.length ? `; the served chain has: ${problems.join(', ')}` : ''
  if (!expectedLeaf)
    return `${expected.file} holds no certificate to compare with what ${label} serves (leaf ${describe(servedLeaf)})${tail}`
  if (servedLeaf.sha256 !== expectedLeaf.sha256)
    return `${label} serves the leaf ${describe(servedLeaf)}, not the one ${expected.file} holds, ${describe(expectedLeaf)}: the deployment has drifted from the repository${tail}`
  const servedChain = chainAbove(served, servedLeaf)
  const expectedChain = chainAbove(expected.certs, expectedLeaf)
  const same = (a: readonly Cert[], b: readonly Cert[]) =>
    a.length === b.length && a.every((c, i) => c.sha256 === b[i].sha256)
  if (same(servedChain, expectedChain)) return undefined
  const list = (chain: readonly Cert[]) => (chain.length ? chain.map(describe).join(', ') : 'no intermediate')
  return `${label} serves the leaf ${expected.file} holds (SHA-256 ${servedLeaf.sha256}) with another chain: it sends ${list(servedChain)}; ${expected.file} holds ${list(expectedChain)}${tail}`
}
