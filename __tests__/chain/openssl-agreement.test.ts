// certgate's path verdict against `openssl verify` on the same PEM files:
// OpenSSL accepting a chain must mean status 'valid', rejecting it must not.
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { ext, issue, tempDir, writePem, type Issued } from '../helpers/pki.js'
import { pathOf } from './fixtures.js'

const DAY = 86_400_000
let dir: string
beforeAll(() => {
  dir = tempDir()
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Scenario {
  root: Issued
  intermediates: Issued[]
  leaf: Issued
}

/** 'OK' or openssl's error line, from `openssl verify -CAfile root [-untrusted inters] leaf`. */
function opensslVerdict(name: string, { root, intermediates, leaf }: Scenario): string {
  const args = ['verify', '-CAfile', writePem(dir, `${name}-root.pem`, root)]
  if (intermediates.length > 0) args.push('-untrusted', writePem(dir, `${name}-inter.pem`, ...intermediates))
  args.push(writePem(dir, `${name}-leaf.pem`, leaf))
  try {
    execFileSync('openssl', args, { stdio: 'pipe' })
    return 'OK'
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '')
    return stderr.match(/error \d+ at .*/)?.[0] ?? (stderr.trim() || 'failed')
  }
}

const rootCa = () => issue({ cn: 'Agreement Root', extensions: [ext.ca(), ext.caKeyUsage()], days: 3650 })
const leafUnder = (issuer: Issued, extra: Partial<Parameters<typeof issue>[0]> = {}) =>
  issue({
    cn: 'agree.test',
    issuer,
    extensions: [ext.notCa(), ext.serverAuth(), ext.san('agree.test')],
    ...extra,
  })

const scenarios: Record<string, () => Promise<Scenario>> = {
  valid: async () => {
    const root = await rootCa()
    const inter = await issue({ cn: 'Inter', issuer: root, extensions: [ext.ca(0), ext.caKeyUsage()] })
    return { root, intermediates: [inter], leaf: await leafUnder(inter) }
  },
  'missing intermediate': async () => {
    const root = await rootCa()
    const inter = await issue({ cn: 'Inter', issuer: root, extensions: [ext.ca(0), ext.caKeyUsage()] })
    return { root, intermediates: [], leaf: await leafUnder(inter) }
  },
  'signed by another key': async () => {
    const root = await rootCa()
    const inter = await issue({ cn: 'Inter', issuer: root, extensions: [ext.ca(0), ext.caKeyUsage()] })
    const impostor = await issue({ cn: 'Inter', issuer: root, extensions: [ext.ca(0)], noKeyIds: true })
    return { root, intermediates: [impostor], leaf: await leafUnder(inter) }
  },
  'intermediate CA:FALSE': async () => {
    const root = await rootCa()
    const inter = await issue({ cn: 'Inter', issuer: root, extensions: [ext.notCa()] })
    return { root, intermediates: [inter], leaf: await leafUnder(inter) }
  },
  'pathlen exceeded': async () => {
    const root = await rootCa()
    const first = await issue({ cn: 'Inter 1', issuer: root, extensions: [ext.ca(0), ext.caKeyUsage()] })
    const second = await issue({ cn: 'Inter 2', issuer: first, extensions: [ext.ca(), ext.caKeyUsage()] })
    return { root, intermediates: [first, second], leaf: await leafUnder(second) }
  },
  'expired intermediate': async () => {
    const root = await rootCa()
    const notBefore = new Date(Date.now() - 400 * DAY)
    const inter = await issue({ cn: 'Inter', issuer: root, notBefore, days: 30, extensions: [ext.ca()] })
    return { root, intermediates: [inter], leaf: await leafUnder(inter, { notBefore, days: 3650 }) }
  },
}

/** The problem certgate should name where openssl says no. */
const EXPECTED_RULE: Record<string, string> = {
  valid: '',
  'missing intermediate': 'chain-incomplete',
  'signed by another key': 'signature-invalid',
  'intermediate CA:FALSE': 'basic-constraints-issuer-not-ca',
  'pathlen exceeded': 'path-length-exceeded',
  'expired intermediate': 'expired',
}

test.each(Object.keys(scenarios))('%s: certgate and openssl verify agree', async (name) => {
  const scenario = await scenarios[name]()
  const openssl = opensslVerdict(name.replace(/\W+/g, '-'), scenario)
  const certgate = await pathOf(scenario.leaf, { pool: scenario.intermediates, trust: [scenario.root] })
  const why = certgate.problems.map((p) => p.rule).join(',')
  expect({ accepted: certgate.status === 'valid', why }).toEqual({
    accepted: openssl === 'OK',
    why: EXPECTED_RULE[name],
  })
  // Every scenario but the first is broken on purpose: openssl must see it too.
  expect(openssl === 'OK').toBe(name === 'valid')
})
