// nginx configuration (ngx_http_ssl_module, ngx_stream_ssl_module): the
// tokens nginx reads (words, quoted strings, `;`, `{`, `}`, `#` comments),
// `include` expanded in place, then every `server {}` in `http {}` or
// `stream {}` with what it inherits from the enclosing context.
// https://nginx.org/en/docs/http/ngx_http_ssl_module.html
import type { ConfigSources, SourceFile } from './sources.js'
import type { Located, ServerBlock } from './model.js'

/** A directive: its name, arguments and, for `name … { }`, the directives inside. */
export interface NginxDirective {
  name: string
  args: string[]
  file: string
  line: number
  block?: NginxDirective[]
}

interface Token {
  text: string
  line: number
  /** `;`, `{` and `}` when not quoted. */
  special: boolean
}

/** nginx's tokenizer (ngx_conf_read_token): an unclosed quote is a finding at the quote. */
function tokenize(source: SourceFile, sources: ConfigSources): Token[] {
  const tokens: Token[] = []
  const text = source.text
  let line = 1
  let i = 0
  while (i < text.length) {
    const c = text[i]
    if (c === '\n') {
      line++
      i++
    } else if (/\s/.test(c)) i++
    else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++
    } else if (c === ';' || c === '{' || c === '}') {
      tokens.push({ text: c, line, special: true })
      i++
    } else if (c === '"' || c === "'") {
      const start = line
      let value = ''
      i++
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) {
          i++
          // nginx keeps the backslash except before the quote, `\\`, and the escapes it knows.
          const escaped = text[i]
          value +=
            escaped === c || escaped === '\\'
              ? escaped
              : escaped === 'n'
                ? '\n'
                : escaped === 't'
                  ? '\t'
                  : `\\${escaped}`
        } else value += text[i]
        if (text[i] === '\n') line++
        i++
      }
      if (i >= text.length) {
        sources.report(source.file, start, `unclosed quote (${c}): the rest of the file is one string`)
        return tokens
      }
      i++
      tokens.push({ text: value, line: start, special: false })
    } else {
      let value = ''
      while (i < text.length && !/[\s;{}]/.test(text[i])) {
        // A quote inside a word is part of it, as for nginx; `#` too.
        if (text[i] === '\\' && i + 1 < text.length) i++
        value += text[i]
        i++
      }
      tokens.push({ text: value, line, special: false })
    }
  }
  return tokens
}

/** Deeper than any real configuration; the recursion that reads blocks must not exhaust the stack on a crafted one. */
export const MAX_NESTING = 64

/** The directives of one file, blocks nested; unbalanced braces and unterminated directives are findings. */
function parseTokens(tokens: Token[], source: SourceFile, sources: ConfigSources): NginxDirective[] {
  const top: NginxDirective[] = []
  const open: { directive?: NginxDirective; list: NginxDirective[] }[] = [{ list: top }]
  let words: Token[] = []
  for (const token of tokens) {
    const current = open[open.length - 1]
    if (!token.special) {
      words.push(token)
      continue
    }
    if (token.text === ';') {
      if (words.length === 0) sources.report(source.file, token.line, 'unexpected ";" (an empty directive)')
      else current.list.push(directive(words, source))
      words = []
    } else if (token.text === '{') {
      if (words.length === 0) {
        sources.report(source.file, token.line, 'unexpected "{" (a block without a directive name)')
      }
      if (open.length > MAX_NESTING) {
        sources.report(
          source.file,
          token.line,
          `blocks nested deeper than ${MAX_NESTING}: the rest of the file is not read`,
        )
        return top
      }
      const d = words.length
        ? directive(words, source)
        : { name: '', args: [], file: source.file, line: token.line }
      d.block = []
      current.list.push(d)
      open.push({ directive: d, list: d.block })
      words = []
    } else {
      if (words.length) {
        sources.report(source.file, words[0].line, `directive "${words[0].text}" is not terminated by ";"`)
        words = []
      }
      if (open.length === 1) sources.report(source.file, token.line, 'unexpected "}" (unbalanced braces)')
      else open.pop()
    }
  }
  if (words.length) {
    sources.report(
      source.file,
      words[0].line,
      `directive "${words[0].text}" is not terminated by ";" at the end of the file`,
    )
  }
  for (const unclosed of open.slice(1).reverse()) {
    const d = unclosed.directive!
    sources.report(source.file, d.line, `"${d.name} {" is never closed (unbalanced braces)`)
  }
  return top
}

const directive = (words: Token[], source: SourceFile): NginxDirective => ({
  name: words[0].text,
  args: words.slice(1).map((w) => w.text),
  file: source.file,
  line: words[0].line,
})

/** Parses a file and, in place of each `include`, the files it names (nginx resolves them against its prefix: the server root). */
export function readNginx(source: SourceFile, sources: ConfigSources): NginxDirective[] {
  return sources.within(source, () =>
    expand(parseTokens(tokenize(source, sources), source, sources), sources),
  )
}

function expand(list: NginxDirective[], sources: ConfigSources): NginxDirective[] {
  const out: NginxDirective[] = []
  for (const d of list) {
    if (d.name === 'include' && !d.block) {
      if (d.args.length !== 1) {
        sources.report(d.file, d.line, 'include takes one file name or glob')
        continue
      }
      const at = { value: d.args[0], file: d.file, line: d.line }
      for (const path of sources.expandInclude(d.args[0], at, 'plain-path')) {
        const included = sources.read(path, at)
        if (included) out.push(...readNginx(included, sources))
      }
      continue
    }
    out.push(d.block ? { ...d, block: expand(d.block, sources) } : d)
  }
  return out
}

/** Settings a server block inherits from http {} (or stream {}) unless it sets them itself. */
interface Settings {
  certificates: Located[]
  keys: Located[]
  trusted?: Located
  stapling?: Located<boolean>
  staplingVerify?: Located<boolean>
  staplingFile?: Located
  staplingResponder?: Located
  resolver?: Located
}

/** Every server block in http {} and stream {} that serves TLS (names an ssl_certificate). */
export function nginxServerBlocks(top: NginxDirective[], sources: ConfigSources): ServerBlock[] {
  const blocks: ServerBlock[] = []
  for (const context of top.filter((d) => (d.name === 'http' || d.name === 'stream') && d.block)) {
    const inherited = settingsOf(context.block!, emptySettings(), sources)
    for (const server of context.block!.filter((d) => d.name === 'server' && d.block)) {
      const settings = settingsOf(server.block!, inherited, sources)
      if (settings.certificates.length === 0) continue
      blocks.push(serverBlock(server, settings, sources))
    }
  }
  return blocks
}

const emptySettings = (): Settings => ({ certificates: [], keys: [] })

function settingsOf(list: NginxDirective[], parent: Settings, sources: ConfigSources): Settings {
  const own: Partial<Settings> = {}
  const at = (d: NginxDirective) => sources.argument(d)
  const flag = (d: NginxDirective) => sources.onOff(d)
  for (const d of list) {
    if (d.block) continue
    switch (d.name) {
      case 'ssl_certificate':
      case 'ssl_certificate_key': {
        const located = at(d)
        if (!located) break
        const key = d.name === 'ssl_certificate' ? 'certificates' : 'keys'
        own[key] = [...(own[key] ?? []), located]
        break
      }
      case 'ssl_trusted_certificate':
        own.trusted = at(d)
        break
      case 'ssl_stapling':
        own.stapling = flag(d)
        break
      case 'ssl_stapling_verify':
        own.staplingVerify = flag(d)
        break
      case 'ssl_stapling_file':
        own.staplingFile = at(d)
        break
      case 'ssl_stapling_responder':
        own.staplingResponder = at(d)
        break
      case 'resolver':
        own.resolver = at(d)
        break
    }
  }
  // nginx inherits ssl_certificate and ssl_certificate_key as a set: a level that sets either replaces both.
  const pairsOwn = own.certificates !== undefined || own.keys !== undefined
  return {
    certificates: pairsOwn ? (own.certificates ?? []) : parent.certificates,
    keys: pairsOwn ? (own.keys ?? []) : parent.keys,
    trusted: own.trusted ?? parent.trusted,
    stapling: own.stapling ?? parent.stapling,
    staplingVerify: own.staplingVerify ?? parent.staplingVerify,
    staplingFile: own.staplingFile ?? parent.staplingFile,
    staplingResponder: own.staplingResponder ?? parent.staplingResponder,
    resolver: own.resolver ?? parent.resolver,
  }
}

function serverBlock(server: NginxDirective, s: Settings, sources: ConfigSources): ServerBlock {
  const serverName = server.block!.find((d) => d.name === 'server_name' && d.args.length)?.args[0]
  const listen = server.block!.find((d) => d.name === 'listen' && d.args.length)?.args[0]
  const at = { value: 'server', file: server.file, line: server.line }
  // Variables ($ssl_server_name) are resolved per handshake; there is no one file to check.
  const fixed = (l: Located): boolean => {
    if (!l.value.includes('$') && !l.value.startsWith('data:') && !l.value.startsWith('engine:')) return true
    sources.report(
      l.file,
      l.line,
      `${l.value} is chosen at run time (variable, data: or engine:): not checked`,
    )
    return false
  }
  if (s.certificates.length !== s.keys.length) {
    sources.report(
      at.file,
      at.line,
      `${s.certificates.length} ssl_certificate and ${s.keys.length} ssl_certificate_key directives: nginx pairs them in order and refuses to start when they differ`,
    )
  }
  return {
    software: 'nginx',
    at,
    name:
      serverName ??
      (listen ? `the server listening on ${listen}` : `the server at ${server.file}:${server.line}`),
    pairs: s.certificates.flatMap((certificate, i) => {
      const key = s.keys[i]
      if (!fixed(certificate)) return []
      return [
        {
          certificate: sources.named(certificate),
          ...(key && fixed(key) ? { key: sources.named(key) } : {}),
        },
      ]
    }),
    ...(s.trusted && fixed(s.trusted) ? { trusted: sources.named(s.trusted) } : {}),
    ...(s.stapling ? { stapling: s.stapling } : {}),
    ...(s.staplingVerify ? { staplingVerify: s.staplingVerify } : {}),
    ...(s.staplingFile && fixed(s.staplingFile) ? { staplingFile: sources.named(s.staplingFile) } : {}),
    ...(s.staplingResponder ? { staplingResponder: s.staplingResponder } : {}),
    ...(s.resolver ? { resolver: s.resolver } : {}),
  }
}
