import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { findPemBlocks } from '../../src/load/pem.js'
import { issue, tempDir } from '../helpers/pki.js'

describe('findPemBlocks', () => {
  it('finds blocks among text with their BEGIN lines and decodes them', async () => {
    const { pem, der } = await issue({ cn: 'pem.test' })
    const text = `intro\n\n${pem}between\n  ${pem.trimEnd().split('\n').join('\n  ')}\ntrailer`
    const blocks = findPemBlocks(text)
    const second = 3 + pem.split('\n').length
    expect(blocks.map((b) => [b.label, b.line, b.error])).toEqual([
      ['CERTIFICATE', 3, undefined],
      ['CERTIFICATE', second, undefined],
    ])
    for (const block of blocks) expect(Buffer.from(block.der!).equals(Buffer.from(der))).toBe(true)
  })

  it('counts lines the same with CRLF, CR and LF line ends', async () => {
    const { pem } = await issue({ cn: 'crlf.test' })
    for (const eol of ['\r\n', '\r', '\n']) {
      const text = ['a', 'b', ...pem.trimEnd().split('\n')].join(eol)
      expect(findPemBlocks(text).map((b) => [b.line, b.error])).toEqual([[3, undefined]])
    }
  })

  it('reports bad base64, an empty body, a missing END and mismatched labels per block', () => {
    const text = [
      '-----BEGIN CERTIFICATE-----', // 1
      'MII$$$',
      '-----END CERTIFICATE-----',
      '-----BEGIN CERTIFICATE-----', // 4
      '-----END CERTIFICATE-----',
      '-----BEGIN X509 CRL-----', // 6
      'AAAA',
      '-----END CERTIFICATE-----',
      '-----BEGIN CERTIFICATE-----', // 9
      'AAAA',
      '-----BEGIN PKCS7-----', // 11
      'AAAA',
    ].join('\n')
    expect(findPemBlocks(text).map((b) => [b.label, b.line, b.error])).toEqual([
      ['CERTIFICATE', 1, 'PEM block at line 1 is not valid base64'],
      ['CERTIFICATE', 4, 'PEM block at line 4 is empty'],
      ['X509 CRL', 6, 'PEM block at line 6 begins as X509 CRL but ends as CERTIFICATE (line 8)'],
      ['CERTIFICATE', 9, 'PEM block at line 9 has no END line before the next BEGIN at line 11'],
      ['PKCS7', 11, 'PEM block at line 11 has no END line'],
    ])
  })

  it('never decodes private key blocks, even legacy encrypted ones with headers', () => {
    const text = [
      '-----BEGIN RSA PRIVATE KEY-----',
      'Proc-Type: 4,ENCRYPTED',
      'DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF',
      '',
      'c2VjcmV0',
      '-----END RSA PRIVATE KEY-----',
      '-----BEGIN OPENSSH PRIVATE KEY-----',
      'not even base64 !!',
      '-----END OPENSSH PRIVATE KEY-----',
    ].join('\n')
    const blocks = findPemBlocks(text)
    expect(blocks).toEqual([
      { label: 'RSA PRIVATE KEY', line: 1, secret: true },
      { label: 'OPENSSH PRIVATE KEY', line: 7, secret: true },
    ])
  })
})

describe('explanatory text between blocks', () => {
  it('reads comment lines of dashes as text, as openssl does, and still flags a damaged BEGIN line', async () => {
    const { pem: leaf } = await issue({ cn: 'leaf.test' })
    const { pem: ca } = await issue({ cn: 'ca.test' })
    const commented = [
      '# ----- leaf -----',
      leaf.trimEnd(),
      '------------------------------',
      '# ---- intermediate ----',
      '----- intermediate (sent second) -----',
      ca.trimEnd(),
      '',
    ].join('\n')
    const dir = tempDir()
    try {
      writeFileSync(join(dir, 'commented.pem'), commented)
      const openssl = execFileSync('openssl', ['storeutl', '-noout', '-certs', 'commented.pem'], {
        cwd: dir,
        encoding: 'utf8',
      })
      expect(openssl).toContain('Total found: 2')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    expect(findPemBlocks(commented).map((b) => [b.label, b.error])).toEqual([
      ['CERTIFICATE', undefined],
      ['CERTIFICATE', undefined],
    ])
    const damaged = commented.replace(/BEGIN CERTIFICATE/, 'BEGIN CERTIFICATf')
    expect(findPemBlocks(damaged).map((b) => b.error)).toEqual([
      'line 2 holds a malformed BEGIN or END line; a PEM block there cannot be read',
      expect.stringContaining('an END line for CERTIFICATE with no BEGIN line'),
      undefined,
    ])
  })
})
