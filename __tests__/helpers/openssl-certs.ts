// Certificates made one by one with the openssl command line, for tests that
// need shapes a fixed PKI does not have (name twins spelled another way, v1
// roots, CAs without keyCertSign, hundreds of same-name decoys) and that
// compare certgate's verdict with `openssl verify` on the very same files.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { buildCert } from '../../src/model/build.js'
import type { Cert } from '../../src/model/cert.js'
import { tempDir } from './pki.js'

export interface OpensslCertSpec {
  /** The subject in openssl's -subj form, e.g. '/O=Example/CN=Example Root'. */
  subject: string
  /** The certificate (by name) whose key signs it and whose subject becomes its issuer; omitted: self-signed. */
  issuer?: string
  /** Reuse the key of an earlier certificate (a name twin, a re-issued CA, decoys sharing one key). */
  keyOf?: string
  key?: 'ec' | 'rsa'
  /** Extension lines in openssl config syntax; omitted: none at all, a version 1 certificate. */
  extensions?: string
  /** utf8only encodes the subject as UTF8String; default as PrintableString where it can. */
  stringMask?: 'default' | 'utf8only'
  days?: number
}

/** Extension sets the tests use most, in openssl config syntax. */
export const EXTENSIONS = {
  root: 'basicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\nsubjectKeyIdentifier = hash',
  intermediate:
    'basicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid',
  leaf: (dns: string) =>
    `basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature\nextendedKeyUsage = serverAuth\nsubjectAltName = DNS:${dns}\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid`,
}

export class OpensslCerts {
  readonly dir = tempDir('certgate-openssl-certs-')

  /** Runs openssl in the directory; returns stdout. */
  openssl(args: string[]): string {
    return execFileSync('openssl', args, {
      cwd: this.dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    })
  }

  path(name: string): string {
    return join(this.dir, name.includes('.') ? name : `${name}.crt`)
  }

  /** Makes `name`.crt (and `name`.key unless the key is shared) and returns it as certgate reads it. */
  make(name: string, spec: OpensslCertSpec): Cert {
    const key = `${spec.keyOf ?? name}.key`
    if (!spec.keyOf) {
      const algorithm =
        spec.key === 'rsa'
          ? ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']
          : ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']
      this.openssl(['genpkey', ...algorithm, '-out', key])
    }
    const config = `${name}.cnf`
    writeFileSync(
      join(this.dir, config),
      `[ req ]\ndistinguished_name = dn\nprompt = no\nstring_mask = ${spec.stringMask ?? 'default'}\n[ dn ]\nCN = unused\n[ ext ]\n${spec.extensions ?? ''}\n`,
    )
    this.openssl([
      'req',
      '-new',
      '-key',
      key,
      '-subj',
      spec.subject,
      '-config',
      config,
      '-out',
      `${name}.csr`,
    ])
    const signer = spec.issuer
      ? ['-CA', `${spec.issuer}.crt`, '-CAkey', `${this.keyNameOf(spec.issuer)}.key`]
      : ['-signkey', key]
    const extensions = spec.extensions === undefined ? [] : ['-extfile', config, '-extensions', 'ext']
    this.openssl([
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      ...signer,
      '-set_serial',
      `0x${randomBytes(8).toString('hex')}`,
      '-days',
      String(spec.days ?? 90),
      '-sha256',
      ...extensions,
      '-out',
      `${name}.crt`,
    ])
    this.keys.set(name, spec.keyOf ? this.keyNameOf(spec.keyOf) : name)
    return this.cert(name)
  }

  /**
   * `count` certificates of one subject and key, issued by `spec.issuer` in
   * one `openssl ca -infiles` run (a process per certificate would take
   * minutes for hundreds), written in order to `<prefix>.pem`; returns its path.
   */
  makeMany(prefix: string, count: number, spec: OpensslCertSpec & { issuer: string; keyOf: string }): string {
    const ca = join(this.dir, `${prefix}-ca`)
    mkdirSync(ca)
    writeFileSync(join(ca, 'index.txt'), '')
    writeFileSync(join(ca, 'serial'), '1000\n')
    writeFileSync(
      join(ca, 'ca.cnf'),
      `[ ca ]\ndefault_ca = c\n[ c ]\ndatabase = index.txt\nserial = serial\nnew_certs_dir = .\n` +
        `certificate = ../${spec.issuer}.crt\nprivate_key = ../${this.keyNameOf(spec.issuer)}.key\n` +
        `default_md = sha256\ndefault_days = ${spec.days ?? 90}\npolicy = any\nunique_subject = no\n` +
        `string_mask = ${spec.stringMask ?? 'default'}\n` +
        `email_in_dn = no\npreserve = yes\n[ any ]\ncommonName = supplied\norganizationName = optional\n` +
        `[ ext ]\n${spec.extensions ?? ''}\n` +
        `[ req ]\ndistinguished_name = dn\nprompt = no\nstring_mask = ${spec.stringMask ?? 'default'}\n[ dn ]\nCN = unused\n`,
    )
    const openssl = (args: string[]) =>
      execFileSync('openssl', args, { cwd: ca, stdio: ['ignore', 'pipe', 'pipe'] })
    openssl([
      'req',
      '-new',
      '-key',
      `../${this.keyNameOf(spec.keyOf)}.key`,
      '-subj',
      spec.subject,
      '-config',
      'ca.cnf',
      '-out',
      'copy.csr',
    ])
    openssl([
      'ca',
      '-batch',
      '-config',
      'ca.cnf',
      '-extensions',
      'ext',
      '-notext',
      '-infiles',
      ...Array(count).fill('copy.csr'),
    ])
    const issued = Array.from({ length: count }, (_, i) =>
      join(ca, `${(0x1000 + i).toString(16).toUpperCase()}.pem`),
    )
    const bundle = join(this.dir, `${prefix}.pem`)
    writeFileSync(bundle, issued.map((file) => readFileSync(file, 'latin1')).join(''))
    return bundle
  }

  private readonly keys = new Map<string, string>()
  private keyNameOf(name: string): string {
    return this.keys.get(name) ?? name
  }

  /** The certificate `name` as certgate's model. */
  cert(name: string): Cert {
    const pem = readFileSync(this.path(name), 'latin1')
    const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64')
    return buildCert(new Uint8Array(der), { file: `${name}.crt`, line: 1, index: 0 })
  }

  /** Writes the certificates named (or PEM files by absolute path), in order, into one PEM file; returns its path. */
  bundle(file: string, names: readonly string[]): string {
    const path = join(this.dir, file)
    writeFileSync(path, names.map((n) => readFileSync(isAbsolute(n) ? n : this.path(n), 'latin1')).join(''))
    return path
  }

  /**
   * `openssl verify -CAfile ANCHORS [-untrusted UNTRUSTED] CERT`: 'OK', or
   * openssl's error line. `untrusted` and `anchors` are file paths.
   */
  verify(cert: string, { anchors, untrusted }: { anchors: string; untrusted?: string }): string {
    const args = ['verify', '-CAfile', anchors, ...(untrusted ? ['-untrusted', untrusted] : []), cert]
    try {
      this.openssl(args)
      return 'OK'
    } catch (error) {
      const stderr = String((error as { stderr?: string }).stderr ?? '')
      return stderr.match(/error \d+ at .*/)?.[0] ?? (stderr.trim() || 'failed')
    }
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true })
  }
}
