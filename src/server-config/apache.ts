// Apache httpd configuration (mod_ssl): one directive per line (a trailing
// backslash continues it), `<Section …>` … `</Section>`, Include and
// IncludeOptional expanded in place, then every `<VirtualHost>` with what it
// inherits from the main server. Directive names are case-insensitive.
// https://httpd.apache.org/docs/2.4/mod/mod_ssl.html
import type { Located, ServerBlock } from './model.js'
import { MAX_NESTING } from './nginx.js'
import type { ConfigSources, SourceFile } from './sources.js'

export interface ApacheDirective {
  /** Lower case: Apache does not care, and neither do lookups. */
  name: string
  args: string[]
  file: string
  line: number
  /** For a section (`<VirtualHost *:443>`): what is inside. */
  block?: ApacheDirective[]
}

/** Apache's ap_getword_conf: words split by white space, "…" and '…' quote, backslash escapes the quote. */
function words(text: string, source: SourceFile, line: number, sources: ConfigSources): string[] | undefined {
  const out: string[] = []
  let i = 0
  while (i < text.length) {
    if (/\s/.test(text[i])) {
      i++
      continue
    }
    const quote = text[i] === '"' || text[i] === "'" ? text[i] : undefined
    let word = ''
    if (quote) {
      i++
      while (i < text.length && text[i] !== quote) {
        if (text[i] === '\\' && text[i + 1] === quote) i++
        word += text[i++]
      }
      if (i >= text.length) {
        sources.report(source.file, line, `unclosed quote (${quote}) in this directive`)
        return undefined
      }
      i++
    } else while (i < text.length && !/\s/.test(text[i])) word += text[i++]
    out.push(word)
  }
  return out
}

function parseLines(source: SourceFile, sources: ConfigSources): ApacheDirective[] {
  const top: ApacheDirective[] = []
  const open: { directive?: ApacheDirective; list: ApacheDirective[] }[] = [{ list: top }]
  const lines = source.text.split('\n')
  for (let n = 0; n < lines.length; n++) {
    const first = n + 1
    let text = lines[n].replace(/\r$/, '')
    while (text.endsWith('\\') && n + 1 < lines.length)
      text = text.slice(0, -1) + lines[++n].replace(/\r$/, '')
    text = text.trim()
    if (text === '' || text.startsWith('#')) continue
    const current = open[open.length - 1]
    const close = /^<\/([^\s>]+)\s*>$/.exec(text)
    if (close) {
      const name = close[1].toLowerCase()
      const opened = current.directive
      if (!opened) sources.report(source.file, first, `</${close[1]}> closes no section`)
      else if (opened.name !== name) {
        sources.report(
          source.file,
          first,
          `</${close[1]}> where <${opened.name}> (line ${opened.line}) is still open`,
        )
      } else open.pop()
      continue
    }
    const section = /^<([^\s>/]+)(.*)$/.exec(text)
    if (section) {
      if (!section[2].endsWith('>')) {
        sources.report(source.file, first, `<${section[1]} is missing its closing ">"`)
        continue
      }
      const args = words(section[2].slice(0, -1), source, first, sources)
      if (!args) continue
      if (open.length > MAX_NESTING) {
        sources.report(
          source.file,
          first,
          `sections nested deeper than ${MAX_NESTING}: the rest of the file is not read`,
        )
        return top
      }
      const d: ApacheDirective = {
        name: section[1].toLowerCase(),
        args,
        file: source.file,
        line: first,
        block: [],
      }
      current.list.push(d)
      open.push({ directive: d, list: d.block! })
      continue
    }
    const parts = words(text, source, first, sources)
    if (!parts?.length) continue
    current.list.push({ name: parts[0].toLowerCase(), args: parts.slice(1), file: source.file, line: first })
  }
  for (const unclosed of open.slice(1).reverse()) {
    const d = unclosed.directive!
    sources.report(source.file, d.line, `<${d.name}> is never closed`)
  }
  return top
}

/** Parses a file and, in place of each Include/IncludeOptional, the files it names (against ServerRoot: the server root). */
export function readApache(source: SourceFile, sources: ConfigSources): ApacheDirective[] {
  return sources.within(source, () => expand(parseLines(source, sources), sources))
}

function expand(list: ApacheDirective[], sources: ConfigSources): ApacheDirective[] {
  const out: ApacheDirective[] = []
  for (const d of list) {
    if ((d.name === 'include' || d.name === 'includeoptional') && !d.block) {
      if (d.args.length !== 1) {
        sources.report(
          d.file,
          d.line,
          `${d.name === 'include' ? 'Include' : 'IncludeOptional'} takes one path or wildcard`,
        )
        continue
      }
      const at = { value: d.args[0], file: d.file, line: d.line }
      // Include fails the start-up when nothing is there; IncludeOptional does not.
      for (const path of sources.expandInclude(d.args[0], at, d.name === 'include' ? 'always' : 'never')) {
        const included = sources.read(path, at)
        if (included) out.push(...readApache(included, sources))
      }
      continue
    }
    out.push(d.block ? { ...d, block: expand(d.block, sources) } : d)
  }
  return out
}

interface Settings {
  engine?: Located<boolean>
  certificates: Located[]
  keys: Located[]
  chain?: Located
  trusted?: Located
  stapling?: Located<boolean>
  staplingResponder?: Located
  serverName?: string
}

/**
 * The main server's directives (outside every VirtualHost; sections such as
 * <IfModule> are read as if their condition held) and each VirtualHost's.
 */
export function apacheServerBlocks(top: ApacheDirective[], sources: ConfigSources): ServerBlock[] {
  const global = collect(top, sources, { certificates: [], keys: [] })
  const staplingCache = findGlobal(top, 'sslstaplingcache')
  const vhosts: ApacheDirective[] = []
  const findHosts = (list: ApacheDirective[]) => {
    for (const d of list) {
      if (d.name === 'virtualhost' && d.block) vhosts.push(d)
      else if (d.block) findHosts(d.block)
    }
  }
  findHosts(top)
  const blocks: ServerBlock[] = []
  const add = (s: Settings, at: Located, name: string) => {
    if (s.certificates.length === 0 || !s.engine?.value) return
    blocks.push({
      software: 'apache',
      at,
      name: s.serverName ?? name,
      pairs: s.certificates.map((certificate, i) => {
        // Without SSLCertificateKeyFile mod_ssl reads the key from the certificate file.
        const key = s.keys[i] ?? certificate
        return { certificate: sources.named(certificate), key: sources.named(key) }
      }),
      ...(s.chain ? { chain: sources.named(s.chain) } : {}),
      ...(s.trusted ? { trusted: sources.named(s.trusted) } : {}),
      ...(s.stapling ? { stapling: s.stapling } : {}),
      ...(s.staplingResponder ? { staplingResponder: s.staplingResponder } : {}),
      ...(staplingCache ? { staplingCache } : {}),
    })
  }
  if (vhosts.length === 0 && global.engine) {
    add(global, { value: 'main server', file: global.engine.file, line: global.engine.line }, 'main server')
  }
  for (const vhost of vhosts) {
    const settings = collect(vhost.block!, sources, global)
    add(
      settings,
      { value: 'VirtualHost', file: vhost.file, line: vhost.line },
      vhost.args.join(' ') || 'VirtualHost',
    )
  }
  return blocks
}

function findGlobal(list: ApacheDirective[], name: string): Located | undefined {
  for (const d of list) {
    if (d.name === name && d.args.length) return { value: d.args.join(' '), file: d.file, line: d.line }
    if (d.block && d.name !== 'virtualhost') {
      const inner = findGlobal(d.block, name)
      if (inner) return inner
    }
  }
  return undefined
}

function collect(list: ApacheDirective[], sources: ConfigSources, parent: Settings): Settings {
  const own: Partial<Settings> = {}
  const at = (d: ApacheDirective) => sources.argument(d)
  // SSLEngine optional is on for certificates.
  const flag = (d: ApacheDirective) => sources.onOff(d, ['optional'])
  const visit = (items: ApacheDirective[]) => {
    for (const d of items) {
      if (d.block) {
        if (d.name !== 'virtualhost') visit(d.block)
        continue
      }
      switch (d.name) {
        case 'sslengine':
          own.engine = flag(d)
          break
        case 'sslcertificatefile':
        case 'sslcertificatekeyfile': {
          const located = at(d)
          if (!located) break
          const key = d.name === 'sslcertificatefile' ? 'certificates' : 'keys'
          own[key] = [...(own[key] ?? []), located]
          break
        }
        case 'sslcertificatechainfile':
          own.chain = at(d)
          break
        case 'sslcacertificatefile':
          own.trusted = at(d)
          break
        case 'sslusestapling':
          own.stapling = flag(d)
          break
        case 'sslstaplingforceurl':
          own.staplingResponder = at(d)
          break
        case 'servername':
          own.serverName = d.args[0]
          break
      }
    }
  }
  visit(list)
  return {
    engine: own.engine ?? parent.engine,
    certificates: own.certificates ?? parent.certificates,
    keys: own.keys ?? parent.keys,
    chain: own.chain ?? parent.chain,
    trusted: own.trusted ?? parent.trusted,
    stapling: own.stapling ?? parent.stapling,
    staplingResponder: own.staplingResponder ?? parent.staplingResponder,
    serverName: own.serverName ?? parent.serverName,
  }
}
