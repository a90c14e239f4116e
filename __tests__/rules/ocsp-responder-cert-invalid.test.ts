import * as x509 from '../../src/model/x509.js'
import { OID } from '../../src/model/cert.js'
import { ext } from '../helpers/pki.js'
import { rule } from '../../src/rules/ocsp-responder-cert-invalid.js'
import { responderCertProblems } from '../../src/rules/support/ocsp-responder.js'
import { contextFor, issued, judge } from './context.js'

const ocspSigning = () => ext.eku(OID.ocspSigning)

test('a well-formed delegated responder certificate passes', async () => {
  const cert = await issued([ext.notCa(), ext.leafKeyUsage(), ocspSigning(), ext.ocspNoCheck()])
  expect(judge(rule, contextFor(cert))).toEqual([])
  expect(responderCertProblems(cert)).toEqual([])
})

test('a responder without digitalSignature, that is a CA and lacks nocheck, gets each finding', async () => {
  const cert = await issued([ext.ca(), ext.keyUsage(x509.KeyUsageFlags.keyCertSign), ocspSigning()])
  expect(judge(rule, contextFor(cert, { role: 'intermediate' }))).toEqual([
    { severity: 'error', message: expect.stringContaining('lacks digitalSignature') },
    { severity: 'error', message: expect.stringContaining('cA:TRUE') },
    { severity: 'warning', message: expect.stringContaining('id-pkix-ocsp-nocheck') },
  ])
})

test('a responder without keyUsage fails', async () => {
  const cert = await issued([ocspSigning(), ext.ocspNoCheck()])
  expect(responderCertProblems(cert)).toEqual([{ message: expect.stringContaining('no keyUsage') }])
})

test('certificates without id-kp-OCSPSigning are not judged', async () => {
  const cert = await issued([ext.notCa(), ext.leafKeyUsage(), ext.serverAuth()])
  expect(judge(rule, contextFor(cert))).toEqual([])
})
