// Libraries loaded when first needed rather than at start-up. @peculiar/x509
// (with its ASN.1 schema classes), pkijs and yaml take about half of the
// CLI's start-up to initialise, and most runs never need them: certificates
// are read by our DER reader (read-certificate.ts), and x509 only reads what
// that reader declines; pkijs only checks stored OCSP responses and PKCS#7
// bundles; yaml only reads a config file.
//
// Each library is named in a literal require(): ncc (webpack) bundles it and
// evaluates it on the first call. Where the sources run unbundled as ES
// modules (the tests) there is no require, and Node's own loads the package.
/* eslint-disable @typescript-eslint/no-require-imports -- require() is what keeps a bundled library lazy */
import { createRequire } from 'node:module'

type X509 = typeof import('@peculiar/x509')
type AsnSchema = typeof import('@peculiar/asn1-schema')
type AsnX509 = typeof import('@peculiar/asn1-x509')
type Pkijs = typeof import('pkijs')
type Yaml = typeof import('yaml')

const bundled = typeof require === 'function'
let nodeRequire: NodeJS.Require | undefined
const fromNodeModules = (name: string): unknown => (nodeRequire ??= createRequire(import.meta.url))(name)

function once<T>(load: () => T): () => T {
  let value: T | undefined
  return () => (value ??= load())
}

/** @peculiar/x509, with the reflect polyfill its DI container needs loaded first. */
export const x509 = once((): X509 => {
  if (bundled) {
    require('reflect-metadata')
    return require('@peculiar/x509') as X509
  }
  fromNodeModules('reflect-metadata')
  return fromNodeModules('@peculiar/x509') as X509
})

export const asnSchema = once(
  (): AsnSchema =>
    (bundled ? require('@peculiar/asn1-schema') : fromNodeModules('@peculiar/asn1-schema')) as AsnSchema,
)

export const asnX509 = once(
  (): AsnX509 =>
    (bundled ? require('@peculiar/asn1-x509') : fromNodeModules('@peculiar/asn1-x509')) as AsnX509,
)

export const pkijs = once((): Pkijs => (bundled ? require('pkijs') : fromNodeModules('pkijs')) as Pkijs)

export const yaml = once((): Yaml => (bundled ? require('yaml') : fromNodeModules('yaml')) as Yaml)
