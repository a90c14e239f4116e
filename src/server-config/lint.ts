// Server blocks judged once the files they name are loaded: each served
// certificate paired with its key, the stapling rules run with the block's
// settings, and every finding put on the configuration file and line of the
// directive it is about (the configuration, or a file it includes).
import { readFileSync, realpathSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import type { ChainAnalysis } from '../chain/index.js'
import { issues } from '../chain/issuance.js'
import type { LoadedFile } from '../load/types.js'
import type { Cert } from '../model/cert.js'
import type { Finding, Profile } from '../model/types.js'
import { parserMessage } from '../model/parser-message.js'
import { readKeyFile } from '../keys/read.js'
import { looksLikePem } from '../load/pem.js'
import type { KeyPairing, RuleInfo, ServerBlockRule } from '../rules/rule.js'
import { rule as chainDuplicate } from '../rules/chain-duplicate.js'
import { rule as chainIncomplete } from '../rules/chain-incomplete.js'
import { rule as chainOrder } from '../rules/chain-order.js'
import { rule as chainUnrelated } from '../rules/chain-unrelated.js'
import type { NamedFile, ServerBlock, ServerConfig, ServedPair } from './model.js'
import { readRefusal } from './sources.js'

/** A key file is a few kilobytes; anything larger is not one. */
const MAX_KEY_BYTES = 1024 * 1024

/** Findings on one configuration file (the given one or an include), in the order found. */
export interface ConfigFileFindings {
  file: string
  findings: Finding[]
}

/**
 * Drops, with a finding on the directive, each named file that does not
 * exist (the server would not start), so the rest of the run can load the
 * others as if given on the command line.
 */
export function checkNamedFiles(config: ServerConfig): void {
  const seen = new Set<string>()
  const exists = (named: NamedFile, what: string): boolean => {
    try {
      if (statSync(named.path).isFile()) return true
      report(config, named, `${what} ${named.value}: not a regular file`)
    } catch {
      if (!seen.has(`${named.file}:${named.line}`))
        report(config, named, `${what} ${named.value}: no such file (resolved to ${named.path})`)
    }
    seen.add(`${named.file}:${named.line}`)
    return false
  }
  for (const block of config.blocks) {
    const names = directiveNames(block)
    block.pairs = block.pairs.filter((pair) => exists(pair.certificate, names.certificate))
    for (const pair of block.pairs) if (pair.key && !exists(pair.key, names.key)) delete pair.key
    if (block.chain && !exists(block.chain, 'SSLCertificateChainFile')) delete block.chain
    if (block.trusted && !exists(block.trusted, names.trusted)) delete block.trusted
    if (block.staplingFile && !exists(block.staplingFile, 'ssl_stapling_file')) delete block.staplingFile
  }
}

const directiveNames = (block: ServerBlock) =>
  block.software === 'nginx'
    ? { certificate: 'ssl_certificate', key: 'ssl_certificate_key', trusted: 'ssl_trusted_certificate' }
    : { certificate: 'SSLCertificateFile', key: 'SSLCertificateKeyFile', trusted: 'SSLCACertificateFile' }

function report(config: ServerConfig, at: { file: string; line: number }, message: string): void {
  config.findings.push({
    file: at.file,
    finding: { rule: 'parse-error', severity: 'error', message, line: at.line },
  })
}

/**
 * Runs the server-block rules over every served certificate of every block.
 * `loaded` holds the files the blocks name, found by absolute path.
 */
export async function lintServerConfig(
  config: ServerConfig,
  rules: readonly ServerBlockRule[],
  loaded: readonly LoadedFile[],
  chains: ChainAnalysis,
  options: { profile: Profile; confineTo?: string },
): Promise<ConfigFileFindings[]> {
  const { profile } = options
  const byPath = new Map(loaded.map((f) => [resolve(f.absolutePath), f]))
  const certsOf = (named?: NamedFile): Cert[] => (named ? (byPath.get(named.path)?.certs ?? []) : [])
  for (const block of config.blocks) {
    for (const pair of block.pairs) {
      const served = certsOf(pair.certificate)
      if (served.length === 0) {
        report(
          config,
          pair.certificate,
          `${pair.certificate.value} holds no certificate the server could send`,
        )
        continue
      }
      const [leaf, ...sentAfter] = served
      const chain = [...sentAfter, ...certsOf(block.chain)]
      if (block.chain && chain.length > sentAfter.length) {
        await judgeTwoFileChain(
          config,
          block.chain,
          pair,
          [...served, ...certsOf(block.chain)],
          chains,
          profile,
        )
      }
      const candidates = [...chain, ...certsOf(block.trusted)]
      const key = pair.key && pairKey(pair, leaf, options.confineTo)
      const ctx = {
        cert: leaf,
        profile,
        block,
        pair,
        issuerAvailable: candidates.some((c) => issues(c, leaf)),
        ...(key ? { key } : {}),
      }
      // As lintCertificate does, but each result names its own file: a directive may sit in an include.
      for (const rule of rules) {
        const severity = rule.severity[profile]
        if (!severity) continue
        try {
          if (!rule.appliesTo(ctx)) continue
          for (const r of rule.check(ctx)) {
            config.findings.push({
              file: r.at.file,
              finding: {
                rule: rule.id,
                severity: r.severity ?? severity,
                message: r.message,
                line: r.at.line,
              },
            })
          }
        } catch (err) {
          // A rule that trips over an odd block must not hide the others.
          report(config, block.at, `rule ${rule.id} could not evaluate ${block.name}: ${parserMessage(err)}`)
        }
      }
    }
  }
  const files = [...new Set([config.file, ...config.files, ...config.findings.map((f) => f.file)])]
  return files.map((file) => ({
    file,
    findings: config.findings.filter((f) => f.file === file).map((f) => f.finding),
  }))
}

/**
 * Whether the key the block names belongs to the leaf: both public keys as
 * SubjectPublicKeyInfo DER. An encrypted key is not compared (the server
 * needs its passphrase, certgate never asks for it); that is no finding.
 */
function pairKey(pair: ServedPair, leaf: Cert, confineTo?: string): KeyPairing | undefined {
  let text: Buffer
  try {
    const refusal = readRefusal(realpathSync(pair.key!.path), confineTo)
    if (refusal) return { status: 'unusable', reason: `not read: ${refusal}` }
    if (!statSync(pair.key!.path).isFile()) return { status: 'unusable', reason: 'not a regular file' }
    if (statSync(pair.key!.path).size > MAX_KEY_BYTES)
      return { status: 'unusable', reason: 'the file is too large to be a key' }
    text = readFileSync(pair.key!.path)
  } catch (err) {
    return {
      status: 'unusable',
      reason: `cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    }
  }
  // nginx and Apache read PEM keys only: a DER key the server cannot load is no pair.
  if (!looksLikePem(text)) return { status: 'unusable', reason: 'no PEM private key in the file' }
  const { keys, problems } = readKeyFile(text)
  const key = keys[0]
  if (key) return { status: Buffer.from(key.spki).equals(Buffer.from(leaf.spki)) ? 'match' : 'mismatch' }
  if (problems.some((p) => p.kind === 'encrypted')) return undefined
  const broken = problems.find((p) => p.kind === 'unreadable')
  return { status: 'unusable', reason: broken ? broken.message : 'no PEM private key in the file' }
}

/**
 * Apache sends SSLCertificateFile and then SSLCertificateChainFile: the two
 * together are judged as one served chain file is (chain-order,
 * chain-duplicate, chain-unrelated, chain-incomplete; served-path.ts), and
 * what is wrong goes on the SSLCertificateChainFile line. Each file alone is
 * still checked as given on the command line.
 */
async function judgeTwoFileChain(
  config: ServerConfig,
  chainFile: NamedFile,
  pair: ServedPair,
  sent: Cert[],
  chains: ChainAnalysis,
  profile: Profile,
): Promise<void> {
  const { served, servedPath } = await chains.judgeServed(sent)
  const as = `sent as SSLCertificateFile ${pair.certificate.value} then SSLCertificateChainFile ${chainFile.value}: `
  const add = (rule: RuleInfo, message: string) => {
    const severity = rule.severity[profile]
    if (!severity) return
    config.findings.push({
      file: chainFile.file,
      finding: { rule: rule.id, severity, message: as + message, line: chainFile.line },
    })
  }
  if (served.isChain) for (const why of served.outOfOrder.values()) add(chainOrder, why)
  for (const [index, first] of served.duplicateOf)
    add(chainDuplicate, `certificate ${index} (${sent[index].subject}) repeats certificate ${first}`)
  for (const why of servedPath.unrelated.values()) add(chainUnrelated, why)
  if (servedPath.incomplete) add(chainIncomplete, servedPath.incomplete.message)
}
