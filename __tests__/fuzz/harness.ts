// What every fuzz test shares: the run count and seed (fixed for `npm test`,
// raised by `npm run fuzz` through FUZZ_RUNS / FUZZ_SEED), one check() run
// on a directory holding the mutated file, and the invariant each run must keep.
import { expect } from '@jest/globals'
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { join, relative, resolve } from 'node:path'
import fc from 'fast-check'
import { check } from '../../src/check.js'
import { resolveOptions, type RawSettings } from '../../src/options.js'
import type { FileReport, Report } from '../../src/report/types.js'
import { createOpensslPki, openOpensslPki, type OpensslPki } from '../helpers/openssl-pki.js'
import { tempDir } from '../helpers/pki.js'
import { freePort } from '../helpers/processes.js'

export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261121)

/** fast-check's path to one run (printed with a failure): with the seed, it replays that run alone. */
const FUZZ_PATH = process.env.FUZZ_PATH

/**
 * A folder of inputs a failed run saved (FUZZ_INPUTS): the CA directory and
 * every response and CRL made from it, and the clock of the failure. The
 * keys, signatures and times openssl makes differ from run to run, so the
 * seed alone cannot replay a failure; with these inputs it does, byte for
 * byte. Relative to the repository root.
 */
const FUZZ_INPUTS = process.env.FUZZ_INPUTS

/** Where failed runs keep their inputs (git-ignored). */
const FAILURES_DIR = join(process.cwd(), '__tests__', 'fuzz', 'failures')

/** The CA directory of this test file's run, saved with a failure. */
let inputsDir: string | undefined

/** The clock of the run being replayed, so every time judgement is the failure's. */
let replayNow: string | undefined

/** True when the run replays saved inputs: the test must not make its responses and CRLs again. */
export const replaying = (): boolean => FUZZ_INPUTS !== undefined

/**
 * The openssl test PKI of a fuzz run: made fresh, or, when FUZZ_INPUTS names
 * saved inputs, a copy of them (with the clock of the failure).
 */
export async function fuzzPki(): Promise<OpensslPki> {
  if (!FUZZ_INPUTS) {
    const pki = createOpensslPki(await freePort())
    inputsDir = pki.dir
    return pki
  }
  const dir = tempDir('certgate-fuzz-replay-')
  cpSync(resolve(FUZZ_INPUTS), dir, { recursive: true })
  replayNow = readFileSync(join(dir, NOW_FILE), 'utf8').trim()
  inputsDir = dir
  return openOpensslPki(dir)
}

const NOW_FILE = 'fuzz-now.txt'

/** Copies this run's inputs under FAILURES_DIR; returns the folder, relative to the repository. */
function saveInputs(label: string): string | undefined {
  if (!inputsDir) return undefined
  const name = `${label.replace(/\W+/g, '-').slice(0, 48)}-seed${FUZZ_SEED}-${Date.now()}`
  const target = join(FAILURES_DIR, name)
  mkdirSync(FAILURES_DIR, { recursive: true })
  cpSync(inputsDir, target, { recursive: true })
  writeFileSync(join(target, NOW_FILE), `${replayNow ?? new Date().toISOString()}\n`)
  return relative(process.cwd(), target)
}

/** Runs per property: `fast` in `npm test`, FUZZ_RUNS (the long run) when set. */
export function fuzzRuns(fast: number): number {
  return process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : fast
}

/** Jest's time limit for a property of `runs` runs: generous, so only a hang (not a slow machine) trips it. */
export function propertyTimeout(runs: number): number {
  return 60_000 + runs * 2_000
}

/**
 * The property's parameters: the seed, the path when one run is replayed,
 * and a reporter that, on failure, saves the run's inputs and prints the
 * command that replays it exactly.
 */
export function fuzzParameters(runs: number): fc.Parameters<unknown> {
  const test = expect.getState().currentTestName ?? 'fuzz'
  const file = relative(process.cwd(), expect.getState().testPath ?? '__tests__/fuzz')
  return {
    numRuns: runs,
    seed: FUZZ_SEED,
    ...(FUZZ_PATH ? { path: FUZZ_PATH } : {}),
    endOnFailure: true,
    asyncReporter: async (details) => {
      if (!details.failed) return
      const saved = FUZZ_INPUTS ?? saveInputs(test)
      const replay =
        `FUZZ_INPUTS=${saved} FUZZ_SEED=${details.seed} FUZZ_PATH=${details.counterexamplePath} ` +
        `npm run fuzz -- 1 ${details.seed} ${file} ${JSON.stringify(test)}`
      throw new Error(`${await fc.asyncDefaultReportMessage(details)}\n\nReplay exactly with:\n  ${replay}`)
    },
  }
}

/**
 * The liveness bound of one check() run: far above any sane run on a loaded
 * machine, so it only trips on a hang or a runaway parse (the time bound of
 * the invariant), never on slowness.
 */
export const RUN_BOUND_MS = 30_000

/** check() with a hang guard: rejects (failing the property) if the run does not end within RUN_BOUND_MS. */
export async function runCheck(settings: RawSettings, inputs: string[], cwd: string): Promise<Report> {
  const options = resolveOptions(replayNow ? { ...settings, now: replayNow } : settings, { inputs, cwd })
  let timer: NodeJS.Timeout | undefined
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`check() did not end within ${RUN_BOUND_MS} ms`)), RUN_BOUND_MS)
  })
  try {
    return await Promise.race([check(options), bound])
  } finally {
    clearTimeout(timer)
  }
}

/** A scratch directory per run, so a run never sees the previous one's file. */
export class Scratch {
  private count = 0
  constructor(readonly root: string) {}

  /** A fresh directory holding `name` with `content`; returns the directory. */
  write(name: string, content: Uint8Array | string): string {
    const dir = join(this.root, `run-${this.count++}`)
    mkdirSync(dir)
    writeFileSync(join(dir, name), content)
    return dir
  }

  remove(dir: string): void {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** What a file contributed to a report: its entry and its certificates' fingerprints and verdicts. */
export interface FileOutcome {
  entry: FileReport
  certificates: { sha256: string; status: string; failed: boolean }[]
}

export function outcomeOf(report: Report, file: string): FileOutcome {
  const entries = report.files.filter((f) => f.file === file)
  // Every input file appears exactly once in `files` (DESIGN.md, Report).
  expect(entries).toHaveLength(1)
  return {
    entry: entries[0],
    certificates: report.certificates
      .filter((c) => c.file === file)
      .map((c) => ({ sha256: c.sha256, status: c.revocation.status, failed: c.failed })),
  }
}

/** The same certificates, in the same order, each with the same verdict: what an unchanged input yields. */
function sameCertificates(a: FileOutcome, b: FileOutcome): boolean {
  return (
    a.certificates.length === b.certificates.length &&
    a.certificates.every(
      (c, i) => c.sha256 === b.certificates[i].sha256 && c.status === b.certificates[i].status,
    )
  )
}

/**
 * The invariant of a mutated input, against the outcome of the valid input
 * it came from (which passed):
 * - when the mutated file still yields exactly the original certificates
 *   (same fingerprints, so the same bytes) with the same verdicts, no finding
 *   on the file and the same stored-response verdict, the mutation did not
 *   change what certgate reads (text around a PEM block, line ends): the
 *   verdict may pass;
 * - otherwise the gate fails, and it fails because of this file: the file
 *   entry or one of its certificates is marked failed, so the damage shows
 *   up as a finding (parse-error, signature-invalid, …) or as an
 *   invalid/unknown/… revocation status on it.
 * `onlyIdentical` (stored OCSP responses, CRLs) drops the first case: any
 * change to signed DER must fail.
 */
export function expectRejected(report: Report, file: string, base: FileOutcome, onlyIdentical = false): void {
  const outcome = outcomeOf(report, file)
  const unchanged =
    !onlyIdentical &&
    outcome.entry.findings.length === 0 &&
    outcome.entry.kind === base.entry.kind &&
    outcome.entry.revocation?.status === base.entry.revocation?.status &&
    sameCertificates(outcome, base)
  if (unchanged) return
  const blamed = outcome.entry.failed || outcome.certificates.some((c) => c.failed)
  expect({ result: report.result, blamed, outcome }).toMatchObject({ result: 'fail', blamed: true })
}

/** An HTTP server on 127.0.0.1:`port` answering every request with the bytes `body(path)` gives (404 when none). */
export async function startBodyServer(
  port: number,
  body: (path: string) => Uint8Array | undefined,
): Promise<{ close(): Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const bytes = body(req.url ?? '/')
      if (!bytes) return void res.writeHead(404).end()
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from(bytes))
    })
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return {
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
