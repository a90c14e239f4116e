// Fuzzing the loader (src/load: PEM, DER, PKCS#7) through check(): valid
// files made by openssl at test time are mutated (bits, bytes, truncation,
// extension, DER length splices, nesting) and random bytes are loaded; each
// run must end, report the file once and, unless the mutation left the same
// certificates, fail on a finding of that file (harness.ts expectRejected).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { readFileSync, rmSync } from 'node:fs'
import fc from 'fast-check'
import type { OpensslPki } from '../helpers/openssl-pki.js'
import { tempDir } from '../helpers/pki.js'
import {
  expectRejected,
  fuzzPki,
  fuzzParameters,
  fuzzRuns,
  outcomeOf,
  propertyTimeout,
  runCheck,
  Scratch,
  type FileOutcome,
} from './harness.js'
import { applyMutations, mutationsArbitrary, pem, randomDerArbitrary } from './mutate.js'

/** A valid input file and how a mutation reaches it. */
interface LoaderTarget {
  name: string
  file: string
  /** The DER the byte mutations change: the file itself, or the first PEM block's content. */
  der: Uint8Array
  /** PEM targets: the label of every block, and the DER of the blocks after the first. */
  pem?: { label: string; following: Uint8Array[] }
}

let pki: OpensslPki
let scratch: Scratch
let targets: LoaderTarget[]
const baseOutcomes = new Map<string, FileOutcome>()
const settings = () => ({
  revocation: 'off',
  profile: 'private-tls' as const,
  trust: pki.path('root.crt'),
  issuer: pki.path('intermediate.crt'),
})

const derOf = (name: string): Uint8Array => new Uint8Array(readFileSync(pki.path(name)))

beforeAll(async () => {
  pki = await fuzzPki()
  scratch = new Scratch(tempDir('certgate-fuzz-load-'))
  pki.openssl(['x509', '-in', 'leaf-good.crt', '-outform', 'DER', '-out', 'leaf.der'])
  pki.openssl([
    'crl2pkcs7',
    '-nocrl',
    '-certfile',
    'leaf-good.crt',
    '-certfile',
    'intermediate.crt',
    '-outform',
    'DER',
    '-out',
    'bundle.p7b',
  ])
  pki.openssl(['x509', '-in', 'intermediate.crt', '-outform', 'DER', '-out', 'intermediate.der'])
  targets = [
    { name: 'DER certificate', file: 'leaf.der', der: derOf('leaf.der') },
    { name: 'DER PKCS#7 bundle', file: 'bundle.p7b', der: derOf('bundle.p7b') },
    {
      name: 'PEM certificate',
      file: 'leaf.pem',
      der: derOf('leaf.der'),
      pem: { label: 'CERTIFICATE', following: [] },
    },
    {
      name: 'PEM chain',
      file: 'chain.pem',
      der: derOf('leaf.der'),
      pem: { label: 'CERTIFICATE', following: [derOf('intermediate.der')] },
    },
    {
      name: 'PEM PKCS#7 bundle',
      file: 'bundle.pem',
      der: derOf('bundle.p7b'),
      pem: { label: 'PKCS7', following: [] },
    },
  ]
  for (const target of targets) {
    const dir = scratch.write(target.file, contentOf(target, target.der))
    const report = await runCheck(settings(), ['.'], dir)
    // The unmutated input passes, so every failure below is the mutation's doing.
    if (report.result !== 'pass')
      throw new Error(
        JSON.stringify({
          name: target.name,
          reasons: report.summary.reasons,
          c: report.certificates.map((c) => [c.findings, c.revocation]),
          f: report.files,
        }),
      )
    baseOutcomes.set(target.name, outcomeOf(report, target.file))
  }
})
afterAll(() => {
  rmSync(pki.dir, { recursive: true, force: true })
  rmSync(scratch.root, { recursive: true, force: true })
})

/** A PEM file as found in repositories: comment text around and between the blocks. */
function contentOf(target: LoaderTarget, der: Uint8Array): Uint8Array {
  if (!target.pem) return der
  const { label, following } = target.pem
  const blocks = [der, ...following].map((block) => pem(label, block)).join('\n# next\n')
  return new TextEncoder().encode(`# ${target.name} for deploy\n${blocks}\n# end\n`)
}

async function expectMutantRejected(target: LoaderTarget, content: Uint8Array): Promise<void> {
  const dir = scratch.write(target.file, content)
  try {
    expectRejected(await runCheck(settings(), ['.'], dir), target.file, baseOutcomes.get(target.name)!)
  } finally {
    scratch.remove(dir)
  }
}

const byteRuns = fuzzRuns(60)

describe('loader fuzz: mutated DER', () => {
  test(
    'every mutation of a DER certificate, PKCS#7 bundle or the DER inside a PEM block fails on that file unless it left the same certificates',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: targets.length - 1 }), mutationsArbitrary, async (pick, mutations) => {
          const target = targets[pick]
          const der = applyMutations(target.der, mutations)
          fc.pre(Buffer.compare(der, target.der) !== 0)
          await expectMutantRejected(target, contentOf(target, der))
        }),
        fuzzParameters(byteRuns * 2),
      )
    },
    propertyTimeout(byteRuns * 2),
  )

  test(
    'every mutation of PEM text fails on that file unless it left the same certificates',
    async () => {
      const pemTargets = targets.filter((t) => t.pem)
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: pemTargets.length - 1 }),
          mutationsArbitrary,
          async (pick, mutations) => {
            const target = pemTargets[pick]
            const text = contentOf(target, target.der)
            const mutated = applyMutations(text, mutations)
            fc.pre(Buffer.compare(mutated, text) !== 0)
            await expectMutantRejected(target, mutated)
          },
        ),
        fuzzParameters(byteRuns),
      )
    },
    propertyTimeout(byteRuns),
  )
})

describe('loader fuzz: random input', () => {
  const shapes: [string, fc.Arbitrary<Uint8Array>][] = [
    ['random bytes', fc.uint8Array({ maxLength: 2048 })],
    ['random DER trees', randomDerArbitrary],
    [
      'random PEM blocks',
      fc
        .tuple(
          fc.constantFrom('CERTIFICATE', 'PKCS7', 'X509 CRL', 'OCSP RESPONSE', 'TRUSTED CERTIFICATE'),
          randomDerArbitrary,
        )
        .map(([label, der]) => new TextEncoder().encode(pem(label, der))),
    ],
  ]
  test.each(shapes)(
    '%s in a .pem, .der and .p7b file fail on that file',
    async (_, arbitrary) => {
      const runs = fuzzRuns(30)
      await fc.assert(
        fc.asyncProperty(arbitrary, fc.constantFrom('x.pem', 'x.der', 'x.p7b'), async (bytes, name) => {
          const dir = scratch.write(name, bytes)
          try {
            const report = await runCheck(settings(), ['.'], dir)
            const { entry, certificates } = outcomeOf(report, name)
            expect(report.result).toBe('fail')
            expect(entry.failed || certificates.some((c) => c.failed)).toBe(true)
          } finally {
            scratch.remove(dir)
          }
        }),
        fuzzParameters(runs),
      )
    },
    propertyTimeout(fuzzRuns(30)),
  )
})
