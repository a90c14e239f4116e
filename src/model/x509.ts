// @peculiar/x509 needs the reflect polyfill loaded first (its DI container,
// tsyringe, throws at import otherwise). ESM hoists imports, so every module
// imports x509 through this file to get the order right.
import 'reflect-metadata'
export * from '@peculiar/x509'
