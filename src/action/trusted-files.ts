// On a pull request the files the gate trusts decide what passes as much as
// the config does. The base commit's config may say `trust: [ca/root.pem]`,
// but ca/root.pem is the pull request's checkout: replace it with your own
// root and any certificate you sign passes. So with config-source: base the
// trust anchors, issuers, pinned responder certificates and CT log list are
// read as the base commit holds them too. A file the pull request changes is
// replaced by its base version; one it adds is not used; both take effect
// after merge, and the run says so. Files outside the repository (the
// runner's own) are not the pull request's and stay as they are.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { discoverFiles } from '../load/discover.js'
import { displayPath } from '../load/fs-path.js'
import type { CheckOptions } from '../options.js'
import { readAtBase, repositoryPath, type BaseCommit } from './base-commit.js'
import { repositoryRoot } from './git.js'

export interface PinnedToBase {
  options: CheckOptions
  /** For the log and the summary, one per file the pull request changed or added. */
  notes: string[]
  /** A notice on each such file. */
  notices: { file: string; message: string }[]
}

/** The options' trusted files (trust, issuer, responder-cert, ct-log-list) as the base commit holds them. */
export async function trustedFilesAtBase(options: CheckOptions, base: BaseCommit): Promise<PinnedToBase> {
  const copies = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'certgate-base-'))
  const notes: string[] = []
  const notices: { file: string; message: string }[] = []
  const short = base.sha.slice(0, 7)

  /** One file as the base holds it: its own path when unchanged, a copy of the base version, or nothing. */
  const pin = async (file: string, setting: string): Promise<string | undefined> => {
    // A file missing at the head is check()'s to report, as on any other event.
    if (!existsSync(file)) return file
    const root = repositoryRoot(file)
    const inRepository = root ? repositoryPath(root, file) : repositoryPath(base.cwd, file)
    if (inRepository.startsWith('../') || isAbsolute(inRepository)) return file
    const shown = displayPath(file, options.cwd)
    const atBase = await readAtBase(base, file, `the ${setting} file ${shown}`)
    if (atBase === null) {
      const message = `${setting} file ${shown} is not used: the base commit ${short} has no such file; the one this pull request adds takes effect after merge (config-source: base)`
      notes.push(message)
      notices.push({ file: shown, message })
      return undefined
    }
    if (atBase.equals(readFileSync(file))) return file
    const copy = join(copies, inRepository)
    mkdirSync(dirname(copy), { recursive: true })
    writeFileSync(copy, atBase)
    const message = `${setting} file ${shown}: read as of the base commit ${short}; this pull request changes it, and its change takes effect after merge (config-source: base)`
    notes.push(message)
    notices.push({ file: shown, message })
    return copy
  }

  /** Globs and directories become the files they hold at the head; each is then pinned. */
  const pinAll = async (entries: string[], setting: string): Promise<string[]> => {
    if (entries.length === 0) return entries
    const { files, missing } = await discoverFiles(entries, { cwd: options.cwd })
    const pinned: string[] = []
    for (const found of files) {
      const path = await pin(found.path, setting)
      if (path !== undefined) pinned.push(path)
    }
    // What matched nothing stays named, so check() reports it as it always has.
    return [...pinned, ...missing]
  }

  const ctLogList = options.ctLogList
    ? await pin(resolve(options.cwd, options.ctLogList), 'ct-log-list')
    : undefined
  return {
    options: {
      ...options,
      trustFiles: await pinAll(options.trustFiles, 'trust'),
      issuerFiles: await pinAll(options.issuerFiles, 'issuer'),
      responderCertFiles: await pinAll(options.responderCertFiles, 'responder-cert'),
      ctLogList,
    },
    notes,
    notices,
  }
}
