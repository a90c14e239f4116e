// What the server-configuration rules share: how each server names its
// stapling directives, and which responder it would ask.
import { isIP } from 'node:net'
import type { Located, ServerBlock } from '../../server-config/model.js'
import type { ServerBlockContext } from '../rule.js'

/** The directive that switches stapling on, as the operator writes it. */
export const staplingDirective = (block: ServerBlock): string =>
  block.software === 'nginx' ? 'ssl_stapling' : 'SSLUseStapling'

export const staplingOn = (block: ServerBlock): boolean => block.stapling?.value === true

/** Where a finding about stapling goes: the stapling directive, else the block's first line. */
export const staplingAt = (block: ServerBlock): Pick<Located, 'file' | 'line'> => block.stapling ?? block.at

/** The responder the server asks: the configured override, else the certificate's first OCSP URL. */
export function responderOf(ctx: ServerBlockContext): { url: string; from: string } | undefined {
  const override = ctx.block.staplingResponder
  if (override) {
    const name = ctx.block.software === 'nginx' ? 'ssl_stapling_responder' : 'SSLStaplingForceURL'
    return { url: override.value, from: `${name} (${override.file}:${override.line})` }
  }
  const aia = ctx.cert.ocspUrls[0]
  return aia ? { url: aia, from: "the certificate's Authority Information Access" } : undefined
}

/** The host of an http URL when it is a name (not an IP literal), else undefined. */
export function hostName(url: string): string | undefined {
  let host: string
  try {
    host = new URL(url).hostname
  } catch {
    // nginx accepts a responder without the scheme.
    host = url.replace(/^[a-z]+:\/\//i, '').split(/[/:]/)[0]
  }
  host = host.replace(/^\[|\]$/g, '')
  return host && isIP(host) === 0 ? host : undefined
}
