// --server-config: each configuration read into server blocks (see model.ts).
// The certificate, chain, trusted and staple files the blocks name are then
// checked as if given on the command line; the blocks themselves are linted
// by the rules in lint.ts once those files are loaded.
import { dirname, resolve } from 'node:path'
import { apacheServerBlocks, readApache } from './apache.js'
import { detectServer } from './detect.js'
import type { ServerConfig } from './model.js'
import { nginxServerBlocks, readNginx } from './nginx.js'
import { ConfigSources } from './sources.js'
import type { Advise } from '../setting-names.js'

export type { ServerBlock, ServerConfig } from './model.js'

/**
 * Reads one configuration file and everything it includes. Paths resolve
 * against `root` (the config's folder by default, as for a server started
 * with its prefix there). Never throws: what cannot be read is a finding.
 */
export function readServerConfig(
  path: string,
  options: { cwd: string; root?: string; confineTo?: string; advise?: Advise },
): ServerConfig {
  const entry = resolve(options.cwd, path)
  const sources = new ConfigSources(
    entry,
    options.root ? resolve(options.cwd, options.root) : dirname(entry),
    options.cwd,
    options.confineTo,
    options.advise,
  )
  const source = sources.readEntry()
  if (!source) return sources.config
  const software = detectServer(source.text)
  if (!software) {
    sources.report(
      source.file,
      undefined,
      'neither an nginx nor an Apache configuration (no server block, ssl_* or SSL* directive found)',
    )
    return sources.config
  }
  sources.config.software = software
  sources.config.blocks =
    software === 'nginx'
      ? nginxServerBlocks(readNginx(source, sources), sources)
      : apacheServerBlocks(readApache(source, sources), sources)
  return sources.config
}

/** Every file the blocks name that certgate checks as certificates (keys are not: they are paired, never loaded). */
export function certificateFiles(config: ServerConfig): string[] {
  return unique(
    config.blocks.flatMap((b) => [
      ...b.pairs.map((p) => p.certificate.path),
      ...(b.chain ? [b.chain.path] : []),
      ...(b.trusted ? [b.trusted.path] : []),
    ]),
  )
}

/** ssl_stapling_file responses: judged as --staple files are. */
export function stapleFiles(config: ServerConfig): string[] {
  return unique(config.blocks.flatMap((b) => (b.staplingFile ? [b.staplingFile.path] : [])))
}

/** Key paths, for the key-matching stage (`options.keys`) once it exists beside this one. */
export function keyFiles(config: ServerConfig): string[] {
  return unique(config.blocks.flatMap((b) => b.pairs.flatMap((p) => (p.key ? [p.key.path] : []))))
}

const unique = (paths: string[]): string[] => [...new Set(paths)]
