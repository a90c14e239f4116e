// An `openssl ca` directory built at test time as in STACK-NOTES §8: root
// (RSA) → intermediate (EC P-256) → leaves (good, revoked, unknown) plus a
// delegated OCSP responder (RSA, id-kp-OCSPSigning). openssl serves OCSP from
// its index.txt and makes the CRLs, so certgate is judged against the tool
// operators actually run.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildCert } from '../../src/model/build.js'
import type { Cert } from '../../src/model/cert.js'
import { tempDir } from './pki.js'
import { spawnServer, type ServerProcess } from './processes.js'

const LEAF_EXTENSIONS = `basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:localhost, IP:127.0.0.1
authorityInfoAccess = OCSP;URI:http://127.0.0.1:$PORT, caIssuers;URI:http://127.0.0.1:$PORT/intermediate.crt
crlDistributionPoints = URI:http://127.0.0.1:$PORT/intermediate.crl`

const config = (port: number): string => `PORT = ${port}
[ ca ]
default_ca = intermediate_ca
[ intermediate_ca ]
dir = .
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
crlnumber = $dir/crlnumber
certificate = $dir/intermediate.crt
private_key = $dir/intermediate.key
default_md = sha256
default_days = 30
default_crl_days = 7
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no
preserve = yes
[ policy_any ]
organizationName = optional
commonName = supplied
[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = placeholder
[ v3_root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ v3_intermediate ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
authorityInfoAccess = caIssuers;URI:http://127.0.0.1:$PORT/root.crt
crlDistributionPoints = URI:http://127.0.0.1:$PORT/root.crl
[ v3_ocsp ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, OCSPSigning
noCheck = ignored
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_leaf ]
${LEAF_EXTENSIONS}
[ v3_leaf_muststaple ]
${LEAF_EXTENSIONS}
tlsfeature = status_request
`

/** `openssl ocsp` behind a front end on 127.0.0.1 (`openssl ocsp -port` listens on every interface). */
const OCSP_SERVER = join(process.cwd(), 'scripts', 'openssl-ocsp-server.js')

export type LeafName = 'leaf-good' | 'leaf-revoked' | 'leaf-unknown'
export type ResponderKind = 'delegated' | 'ca'

export interface OpensslPki {
  dir: string
  /** The port the certificates' AIA and CRL DP URLs name. */
  port: number
  root: Cert
  intermediate: Cert
  /** The delegated responder certificate (id-kp-OCSPSigning, issued by the intermediate). */
  responder: Cert
  leaves: Record<LeafName, Cert>
  /** Path of a file in the CA directory (e.g. 'leaf-good.crt'). */
  path(name: string): string
  /** Runs openssl in the CA directory and returns its stdout. */
  openssl(args: string[]): string
  /** `openssl ca -revoke` with an RFC 5280 reason name, e.g. 'keyCompromise'. */
  revoke(name: string, reason: string): void
  /** `openssl ca -gencrl`; returns the CRL's path. */
  gencrl(out?: string, crlDays?: number): string
  /**
   * An OCSP response for a leaf made offline from the CA's index by the
   * delegated responder, without nonce, as a server staples it (STACK-NOTES §8).
   * `validity` is openssl's -ndays/-nmin; returns the response's path.
   */
  staple(leaf: LeafName, out: string, validity: ['-ndays' | '-nmin', number]): string
  /**
   * Answers OCSP on 127.0.0.1:port with `openssl ocsp` from the CA's index,
   * signed by the delegated responder (byName) or the CA (byKey, no certs),
   * answers valid for `validity` (openssl's -ndays/-nmin; a day unless given).
   */
  startResponder(
    kind: ResponderKind,
    port?: number,
    validity?: ['-ndays' | '-nmin', number],
  ): Promise<ServerProcess>
}

/** Builds the CA directory in a fresh temp dir; certificates name `port` in their URLs. */
export function createOpensslPki(port: number): OpensslPki {
  const dir = tempDir('certgate-openssl-ca-')
  const openssl = (args: string[]): string =>
    execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  mkdirSync(join(dir, 'newcerts'))
  writeFileSync(join(dir, 'index.txt'), '')
  writeFileSync(join(dir, 'serial'), '1000\n')
  writeFileSync(join(dir, 'crlnumber'), '1000\n')
  writeFileSync(join(dir, 'openssl.cnf'), config(port))
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']
  const subj = (cn: string): string[] => ['-subj', `/O=certgate Test/CN=${cn}`, '-config', 'openssl.cnf']
  openssl([
    'req',
    '-x509',
    '-new',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'root.key',
    '-out',
    'root.crt',
    '-days',
    '3650',
    '-sha256',
    ...subj('certgate Test Root CA'),
    '-extensions',
    'v3_root',
  ])
  openssl([
    'req',
    '-new',
    ...ec,
    '-nodes',
    '-keyout',
    'intermediate.key',
    '-out',
    'intermediate.csr',
    ...subj('certgate Test Intermediate CA'),
  ])
  openssl([
    'x509',
    '-req',
    '-in',
    'intermediate.csr',
    '-CA',
    'root.crt',
    '-CAkey',
    'root.key',
    '-set_serial',
    '0x0100',
    '-days',
    '1825',
    '-sha256',
    '-extfile',
    'openssl.cnf',
    '-extensions',
    'v3_intermediate',
    '-out',
    'intermediate.crt',
  ])
  openssl([
    'req',
    '-new',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ocsp.key',
    '-out',
    'ocsp.csr',
    ...subj('certgate Test OCSP Responder'),
  ])
  openssl([
    'ca',
    '-batch',
    '-config',
    'openssl.cnf',
    '-extensions',
    'v3_ocsp',
    '-notext',
    '-in',
    'ocsp.csr',
    '-out',
    'ocsp.crt',
  ])
  for (const name of ['leaf-good', 'leaf-revoked']) {
    openssl([
      'req',
      '-new',
      ...ec,
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      ...subj(`${name}.test`),
    ])
    const extensions = name === 'leaf-good' ? 'v3_leaf_muststaple' : 'v3_leaf'
    openssl([
      'ca',
      '-batch',
      '-config',
      'openssl.cnf',
      '-extensions',
      extensions,
      '-notext',
      '-in',
      `${name}.csr`,
      '-out',
      `${name}.crt`,
    ])
  }
  // "unknown": signed outside `openssl ca`, so the responder's index.txt does not list it.
  openssl([
    'req',
    '-new',
    ...ec,
    '-nodes',
    '-keyout',
    'leaf-unknown.key',
    '-out',
    'leaf-unknown.csr',
    ...subj('leaf-unknown.test'),
  ])
  openssl([
    'x509',
    '-req',
    '-in',
    'leaf-unknown.csr',
    '-CA',
    'intermediate.crt',
    '-CAkey',
    'intermediate.key',
    '-set_serial',
    '0x7777',
    '-days',
    '30',
    '-sha256',
    '-extfile',
    'openssl.cnf',
    '-extensions',
    'v3_leaf',
    '-out',
    'leaf-unknown.crt',
  ])
  writeFileSync(
    join(dir, 'chain.pem'),
    readFileSync(join(dir, 'intermediate.crt'), 'utf8') + readFileSync(join(dir, 'root.crt'), 'utf8'),
  )
  return openOpensslPki(dir)
}

/**
 * The CA directory `dir` as createOpensslPki made it, perhaps in an earlier
 * run (a fuzz failure's saved inputs): its port is the one openssl.cnf names.
 */
export function openOpensslPki(dir: string): OpensslPki {
  const port = Number(/^PORT = (\d+)$/m.exec(readFileSync(join(dir, 'openssl.cnf'), 'utf8'))?.[1])
  const openssl = (args: string[]): string =>
    execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  const load = (file: string): Cert => {
    const pem = readFileSync(join(dir, file), 'utf8')
    const body = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '')
    return buildCert(new Uint8Array(Buffer.from(body, 'base64')), { file, line: 1, index: 0 })
  }
  const pki: OpensslPki = {
    dir,
    port,
    root: load('root.crt'),
    intermediate: load('intermediate.crt'),
    responder: load('ocsp.crt'),
    leaves: {
      'leaf-good': load('leaf-good.crt'),
      'leaf-revoked': load('leaf-revoked.crt'),
      'leaf-unknown': load('leaf-unknown.crt'),
    },
    path: (name) => join(dir, name),
    openssl,
    revoke: (name, reason) => {
      openssl(['ca', '-config', 'openssl.cnf', '-revoke', name, '-crl_reason', reason])
    },
    gencrl: (out = 'intermediate.crl', crlDays = 7) => {
      openssl(['ca', '-config', 'openssl.cnf', '-gencrl', '-crldays', String(crlDays), '-out', out])
      return join(dir, out)
    },
    staple: (leaf, out, [validityFlag, amount]) => {
      const request = `${out}.req`
      openssl([
        'ocsp',
        '-issuer',
        'intermediate.crt',
        '-cert',
        `${leaf}.crt`,
        '-reqout',
        request,
        '-no_nonce',
      ])
      openssl([
        ...[
          'ocsp',
          '-index',
          'index.txt',
          '-rsigner',
          'ocsp.crt',
          '-rkey',
          'ocsp.key',
          '-CA',
          'intermediate.crt',
        ],
        ...['-reqin', request, '-respout', out, validityFlag, String(amount)],
      ])
      return join(dir, out)
    },
    startResponder: (kind, responderPort = port, [validityFlag, amount] = ['-ndays', 1]) => {
      const signer =
        kind === 'delegated'
          ? ['-rsigner', 'ocsp.crt', '-rkey', 'ocsp.key']
          : ['-rsigner', 'intermediate.crt', '-rkey', 'intermediate.key', '-resp_key_id', '-resp_no_certs']
      const args = ['-index', 'index.txt', ...signer, '-CA', 'intermediate.crt', validityFlag, String(amount)]
      return spawnServer(process.execPath, [OCSP_SERVER, '--port', String(responderPort), '--', ...args], {
        cwd: dir,
        port: responderPort,
      })
    },
  }
  return pki
}
