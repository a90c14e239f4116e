// A throwaway PKI for the demo, built with the openssl command line the way an
// operator's own CA tooling would: root RSA-2048 → intermediate EC P-256 →
// one leaf per failure mode an operator ships by mistake. The leaves name an
// OCSP responder and a CRL at URLs the caller chooses (the demo serves them on
// 127.0.0.1), so revocation can be checked against real peers.
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const DAY = 86_400_000
const ORGANIZATION = 'certgate demo'

/**
 * One leaf per mistake. `section` picks the extension block of the generated
 * openssl.cnf; the rest are how `openssl req` / `openssl ca` are asked to
 * deviate from a correct leaf.
 */
const LEAVES = [
  { name: 'good', section: 'v3_leaf' },
  {
    name: 'revoked',
    section: 'v3_leaf',
    revokeReason: 'keyCompromise',
    problem: 'revoked by its CA (keyCompromise)',
    rule: 'revoked',
  },
  {
    name: 'misordered',
    section: 'v3_leaf',
    issuerFirst: true,
    problem: 'chain lists the intermediate before the leaf',
    rule: 'chain-order',
  },
  {
    name: 'ca-true',
    section: 'v3_leaf_ca',
    problem: 'end-entity certificate with basicConstraints CA:TRUE',
    rule: 'basic-constraints-ca-leaf',
  },
  {
    name: 'no-server-auth',
    section: 'v3_leaf_client_only',
    problem: 'extendedKeyUsage lacks serverAuth',
    rule: 'eku-server-auth-missing',
  },
  { name: 'rsa-1024', section: 'v3_leaf', key: 'rsa:1024', problem: 'RSA-1024 key', rule: 'weak-key' },
  { name: 'sha1', section: 'v3_leaf', digest: 'sha1', problem: 'signed with SHA-1', rule: 'weak-signature' },
  { name: 'expired', section: 'v3_leaf', expired: true, problem: 'notAfter is in the past', rule: 'expired' },
  { name: 'no-san', section: 'v3_leaf_no_san', problem: 'no subjectAltName', rule: 'san-missing' },
]

/** DNS name of a demo leaf; reserved example domain so nothing real is named. */
export const demoHostname = (leafName) => `${leafName}.demo.example.com`

/**
 * Builds the demo PKI under `dir` (which must exist and be empty) with openssl.
 * `ocspUrl` goes into the leaves' AIA OCSP entry; `publishUrl` is the base
 * URL under which the caller serves `published` (CRLs and CA certificates for
 * the CRL distribution points and AIA caIssuers entries). Types: demo-pki.d.ts.
 */
export async function buildDemoPki(dir, { ocspUrl, publishUrl }) {
  const caDir = join(dir, 'ca')
  const certsDir = join(dir, 'certs')
  await Promise.all([mkdir(join(caDir, 'newcerts'), { recursive: true }), mkdir(certsDir)])
  await writeFile(join(caDir, 'openssl.cnf'), opensslConfig({ ocspUrl, publishUrl }))
  for (const db of ['root', 'intermediate']) {
    await writeFile(join(caDir, `${db}-index.txt`), '')
    await writeFile(join(caDir, `${db}-serial`), db === 'root' ? '0100\n' : '1000\n')
    await writeFile(join(caDir, `${db}-crlnumber`), '01\n')
  }
  const openssl = (...args) => opensslIn(caDir, args)

  await openssl(
    ...['req', '-x509', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'root.key', '-out', 'root.crt'],
    ...['-days', '3650', '-sha256', '-subj', `/O=${ORGANIZATION}/CN=certgate demo Root CA`],
    ...['-config', 'openssl.cnf', '-extensions', 'v3_root'],
  )
  await openssl(
    ...[
      'req',
      '-new',
      ...newKeyArgs('ec'),
      '-nodes',
      '-keyout',
      'intermediate.key',
      '-out',
      'intermediate.csr',
    ],
    ...['-subj', `/O=${ORGANIZATION}/CN=certgate demo Intermediate CA`, '-config', 'openssl.cnf'],
  )
  await openssl(
    ...[
      'ca',
      '-batch',
      '-notext',
      '-config',
      'openssl.cnf',
      '-name',
      'root_ca',
      '-extensions',
      'v3_intermediate',
    ],
    ...['-days', '1825', '-in', 'intermediate.csr', '-out', 'intermediate.crt'],
  )

  const issued = new Map()
  for (const leaf of LEAVES) issued.set(leaf.name, await issueLeaf(caDir, leaf))
  for (const leaf of LEAVES.filter((l) => l.revokeReason)) {
    await openssl(
      ...['ca', '-config', 'openssl.cnf', '-name', 'intermediate_ca', '-revoke', issued.get(leaf.name)],
      ...['-crl_reason', leaf.revokeReason],
    )
  }
  for (const ca of ['root', 'intermediate']) {
    await openssl('ca', '-config', 'openssl.cnf', '-name', `${ca}_ca`, '-gencrl', '-out', `${ca}.crl.pem`)
    await openssl('crl', '-in', `${ca}.crl.pem`, '-outform', 'DER', '-out', `${ca}.crl`)
    await openssl('x509', '-in', `${ca}.crt`, '-outform', 'DER', '-out', `${ca}.der`)
  }

  const intermediatePem = await readFile(join(caDir, 'intermediate.crt'), 'utf8')
  const cases = []
  let goodChain = ''
  for (const leaf of LEAVES) {
    const leafPem = await readFile(issued.get(leaf.name), 'utf8')
    const file = join(certsDir, `${leaf.name}-fullchain.pem`)
    await writeFile(file, leaf.issuerFirst ? intermediatePem + leafPem : leafPem + intermediatePem)
    if (leaf.problem) cases.push({ file, problem: leaf.problem, rule: leaf.rule })
    else goodChain = file
  }
  const garbage = join(certsDir, 'garbage.pem')
  await writeFile(garbage, garbagePem())
  cases.push({ file: garbage, problem: 'PEM block whose content is not a certificate', rule: 'parse-error' })

  return {
    caDir,
    certsDir,
    root: join(caDir, 'root.crt'),
    intermediate: join(caDir, 'intermediate.crt'),
    intermediateKey: join(caDir, 'intermediate.key'),
    index: join(caDir, 'intermediate-index.txt'),
    goodChain,
    cases,
    published: {
      '/root.crl': join(caDir, 'root.crl'),
      '/intermediate.crl': join(caDir, 'intermediate.crl'),
      '/root.crt': join(caDir, 'root.der'),
      '/intermediate.crt': join(caDir, 'intermediate.der'),
    },
  }
}

/** Issues one leaf through `openssl ca` (so the responder's index knows it) and returns its PEM path. */
async function issueLeaf(caDir, leaf) {
  const openssl = (...args) => opensslIn(caDir, args, demoHostname(leaf.name))
  const key = `leaf-${leaf.name}.key`
  const csr = `leaf-${leaf.name}.csr`
  const crt = `leaf-${leaf.name}.crt`
  await openssl(
    ...['req', '-new', ...newKeyArgs(leaf.key ?? 'ec'), '-nodes', '-keyout', key, '-out', csr],
    ...['-subj', `/O=${ORGANIZATION}/CN=${demoHostname(leaf.name)}`, '-config', 'openssl.cnf'],
  )
  const validity = leaf.expired
    ? ['-startdate', opensslTime(Date.now() - 60 * DAY), '-enddate', opensslTime(Date.now() - 30 * DAY)]
    : ['-days', '90']
  await openssl(
    ...['ca', '-batch', '-notext', '-config', 'openssl.cnf', '-name', 'intermediate_ca'],
    ...['-extensions', leaf.section, '-md', leaf.digest ?? 'sha256', ...validity, '-in', csr, '-out', crt],
  )
  return join(caDir, crt)
}

/**
 * Runs openssl in the CA folder. openssl expands $ENV::DEMO_DNS when it loads
 * the config, so it must be set even for commands that issue no leaf.
 */
function opensslIn(caDir, args, dnsName = 'ca.demo.example.com') {
  return run('openssl', args, { cwd: caDir, env: { ...process.env, DEMO_DNS: dnsName } })
}

function newKeyArgs(spec) {
  return spec === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', spec]
}

/** GeneralizedTime as `openssl ca -startdate/-enddate` takes it: YYYYMMDDHHMMSSZ. */
function opensslTime(ms) {
  return new Date(ms)
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d+Z$/, 'Z')
}

/** A well-formed PEM armour around random bytes: the loader must report it, not crash. */
function garbagePem() {
  const body = randomBytes(300).toString('base64').replace(/.{64}/g, '$&\n')
  return `This file was meant to be a certificate.\n-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`
}

/**
 * openssl.cnf for both CAs. openssl has no section inheritance, so the leaf
 * variants are generated from one base: each differs from a correct leaf in
 * exactly one line. The SAN comes from $ENV::DEMO_DNS, set per leaf.
 */
function opensslConfig({ ocspUrl, publishUrl }) {
  const caSection = (name, certificate) => ({
    dir: '.',
    database: `$dir/${name}-index.txt`,
    new_certs_dir: '$dir/newcerts',
    serial: `$dir/${name}-serial`,
    crlnumber: `$dir/${name}-crlnumber`,
    certificate: `$dir/${certificate}.crt`,
    private_key: `$dir/${certificate}.key`,
    default_md: 'sha256',
    default_days: '90',
    default_crl_days: '7',
    policy: 'policy_any',
    unique_subject: 'no',
    copy_extensions: 'none',
    email_in_dn: 'no',
    preserve: 'yes',
  })
  const caExtensions = {
    keyUsage: 'critical, keyCertSign, cRLSign',
    subjectKeyIdentifier: 'hash',
  }
  const leaf = {
    basicConstraints: 'critical, CA:FALSE',
    keyUsage: 'critical, digitalSignature',
    extendedKeyUsage: 'serverAuth, clientAuth',
    subjectKeyIdentifier: 'hash',
    authorityKeyIdentifier: 'keyid:always',
    subjectAltName: 'DNS:$ENV::DEMO_DNS',
    authorityInfoAccess: `OCSP;URI:${ocspUrl}, caIssuers;URI:${publishUrl}/intermediate.crt`,
    crlDistributionPoints: `URI:${publishUrl}/intermediate.crl`,
  }
  const { subjectAltName: _san, ...leafWithoutSan } = leaf
  const sections = {
    ca: { default_ca: 'intermediate_ca' },
    root_ca: caSection('root', 'root'),
    intermediate_ca: caSection('intermediate', 'intermediate'),
    // organizationName before commonName, or `openssl ca` reorders the DN to CN, O.
    policy_any: { organizationName: 'optional', commonName: 'supplied' },
    req: { distinguished_name: 'req_dn', prompt: 'no' },
    req_dn: { CN: 'placeholder' },
    v3_root: { basicConstraints: 'critical, CA:TRUE', ...caExtensions },
    v3_intermediate: {
      basicConstraints: 'critical, CA:TRUE, pathlen:0',
      ...caExtensions,
      authorityKeyIdentifier: 'keyid:always',
      authorityInfoAccess: `caIssuers;URI:${publishUrl}/root.crt`,
      crlDistributionPoints: `URI:${publishUrl}/root.crl`,
    },
    v3_leaf: leaf,
    v3_leaf_ca: { ...leaf, basicConstraints: 'critical, CA:TRUE' },
    v3_leaf_client_only: { ...leaf, extendedKeyUsage: 'clientAuth' },
    v3_leaf_no_san: leafWithoutSan,
  }
  return Object.entries(sections)
    .map(
      ([name, lines]) =>
        `[ ${name} ]\n${Object.entries(lines)
          .map(([k, v]) => `${k} = ${v}\n`)
          .join('')}`,
    )
    .join('\n')
}
