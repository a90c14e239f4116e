// Private keys that will be deployed beside the certificates (`--key FILE`,
// action input `keys`, config `key`): each must belong to a checked leaf.
//
// Interface (kept small on purpose; the server-config reader feeds the keys
// its configurations name through it too):
//   loadPrivateKeys(paths, { cwd, confineTo? }) → KeyFile[]
//       reads each file once (PEM or DER; PKCS#8, PKCS#1, SEC1; RSA, EC,
//       Ed25519, …) into the public halves of its private keys, each with its
//       file and line. A path that matches nothing is a UsageError; a file
//       that cannot be read, or holds no key, is a parse-error on that file;
//       an encrypted key is key-encrypted (warning: no passphrase is ever
//       asked for, so it cannot be matched).
//   matchKeys(keyFiles, leaves, profile, otherCerts?) → LoadedFile[]
//       one report entry (kind 'private-key') per key file, with key-mismatch
//       (error) on each key whose public key (SPKI DER) is that of no leaf.
//       `otherCerts` only sharpens the message when a key belongs to a CA.
// Key material never leaves src/keys/read.ts: a KeyFile holds public keys.
import { groupBy } from '../model/group-by.js'
import { createHash } from 'node:crypto'
import { discoverFiles, readCapped } from '../load/index.js'
import type { DiscoveredFile, LoadedFile } from '../load/types.js'
import type { Cert } from '../model/cert.js'
import type { Finding, Profile } from '../model/types.js'
import { UsageError } from '../options.js'
import { rule as keyEncrypted } from '../rules/key-encrypted.js'
import { rule as keyMismatch } from '../rules/key-mismatch.js'
import { rule as parseError } from '../rules/parse-error.js'
import type { RuleInfo } from '../rules/rule.js'
import { readKeyFile, type KeyProblem, type PublicHalf } from './read.js'
import { displayPath } from '../load/fs-path.js'

export type { PublicHalf } from './read.js'

/** One key file: the public halves of its private keys, and what kept others from being read. */
export interface KeyFile {
  /** As reports show paths: relative to the working directory when inside it. */
  file: string
  absolutePath: string
  keys: PublicHalf[]
  problems: KeyProblem[]
}

/**
 * Reads the key files `paths` names (files or globs, relative to `cwd`). With
 * `confineTo`, nothing whose real path is outside it is read (the action: the
 * workspace), and nothing under /proc, /sys or /dev ever is. `option` names
 * the setting in a usage error (`--key`, input "keys").
 */
export async function loadPrivateKeys(
  paths: readonly string[],
  where: { cwd: string; confineTo?: string; option?: string },
): Promise<KeyFile[]> {
  const options = { cwd: where.cwd, ...(where.confineTo ? { confineTo: where.confineTo } : {}) }
  const files: DiscoveredFile[] = []
  for (const path of paths) {
    // One path at a time: a directory is searched for certificate file names, so one holding only
    // site.key would otherwise add nothing and pass unnoticed.
    const found = await discoverFiles([path], options)
    if (found.files.length === 0)
      throw new UsageError(
        `${where.option ?? '--key'}: ${path} matches no file; name each key file or a glob of them (a directory is searched for certificate file names only)`,
      )
    files.push(...found.files.filter((f) => !files.some((g) => g.path === f.path)))
  }
  return files.map(({ path, fsPath, refusal }) => {
    const keyFile: KeyFile = {
      file: displayPath(path, where.cwd),
      absolutePath: path,
      keys: [],
      problems: [],
    }
    const unreadable = (message: string) => keyFile.problems.push({ line: 1, kind: 'unreadable', message })
    if (refusal) {
      unreadable(`not read: ${refusal}`)
      return keyFile
    }
    const bytes = readCapped(fsPath, unreadable)
    if (bytes) Object.assign(keyFile, readKeyFile(bytes))
    return keyFile
  })
}

/** SHA-256 of a SubjectPublicKeyInfo: the public key's fingerprint, safe to print (RFC 7469 §2.4 pins hash the same bytes). */
export const spkiFingerprint = (spki: Uint8Array): string => createHash('sha256').update(spki).digest('hex')

/**
 * Matches every key to the leaves by SubjectPublicKeyInfo DER (a key pair
 * shares it exactly) and returns one report entry per key file.
 */
export function matchKeys(
  keyFiles: readonly KeyFile[],
  leaves: readonly Cert[],
  profile: Profile,
  otherCerts: readonly Cert[] = [],
): LoadedFile[] {
  const byKey = (certs: readonly Cert[]) => groupBy(certs, (cert) => Buffer.from(cert.spki).toString('hex'))
  const leafKeys = byKey(leaves)
  const otherKeys = byKey(otherCerts)
  return keyFiles.map((keyFile) => {
    const findings: Finding[] = []
    const report = (rule: RuleInfo, message: string, line: number) => {
      const severity = rule.severity[profile]
      if (severity) findings.push({ rule: rule.id, severity, message, line })
    }
    for (const problem of keyFile.problems)
      report(problem.kind === 'encrypted' ? keyEncrypted : parseError, problem.message, problem.line)
    for (const key of keyFile.keys) {
      const hex = Buffer.from(key.spki).toString('hex')
      if (leafKeys.has(hex)) continue
      report(keyMismatch, mismatchMessage(keyFile, key, otherKeys.get(hex), leaves.length), key.line)
    }
    return {
      file: keyFile.file,
      absolutePath: keyFile.absolutePath,
      kind: 'private-key' as const,
      certs: [],
      ocspResponses: [],
      crls: [],
      findings,
    }
  })
}

function mismatchMessage(
  keyFile: KeyFile,
  key: PublicHalf,
  cas: readonly Cert[] | undefined,
  leafCount: number,
): string {
  const what = `the ${key.type.toUpperCase()} private key${keyFile.keys.length > 1 ? ` at line ${key.line}` : ''} (public key SHA-256 ${spkiFingerprint(key.spki)})`
  if (cas?.length)
    return `${what} belongs to the CA certificate ${cas[0].subject} (${cas[0].source.file}), not to a leaf: a server cannot use it, and a CA key must not ship with one`
  return leafCount === 0
    ? `${what} belongs to no leaf certificate: none was checked`
    : `${what} belongs to none of the ${leafCount} checked leaf certificates: the server would refuse it or serve a certificate it cannot prove it holds`
}
