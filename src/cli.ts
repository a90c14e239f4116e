#!/usr/bin/env node
// The command-line shell: flags in, one options object, the same check() as
// the action, a report out, and an exit status that gates a pipeline.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { check } from './check.js'
import type { Progress } from './check.js'
import { loadConfig } from './config.js'
import { didYouMean } from './did-you-mean.js'
import type { OutputFormat, RawSettings } from './options.js'
import { DEFAULTS, UsageError, parseChoice, resolveOptions } from './options.js'
import { mergeReports, parseReport } from './merge.js'
import { renderReport } from './report/render.js'
import type { Report } from './report/types.js'
import { ruleIds } from './rules/registry.js'
import { renderRules } from './report/rules.js'
import { MAX_URLS_PER_KIND } from './net/url-cap.js'

export const EXIT = { pass: 0, fail: 1, usage: 2 } as const

const VERSION = '0.1.0'

const HELP = `certgate ${VERSION}: lint certificate files and check their revocation before deploy

Usage: certgate check [options] <path|glob>...
       certgate merge [--format text|json|sarif] [--output FILE] <shard report.json>...
                                                   one report from the JSON reports of --shard runs
       certgate rules [--format text|json|markdown] [RULE...]
                                                   every rule (or those named) with its citation
       certgate --help | --version

Paths are files or directories (searched for *.pem *.crt *.cer *.der *.p7b
*.p7c *.ocsp *.der-staple) or globs; a path !GLOB excludes. With --endpoint or
--staple they may be omitted. node_modules and .git are searched only when named;
file symlinks are followed, directory symlinks only when they stay inside the tree.

Output
  --format text|json|sarif     report format on stdout [text]
  --output FILE                also write the report to FILE
  --config FILE                settings, rule severities and ignores [.certgate.yml if present]
  --exclude GLOB               do not load paths matching GLOB (repeatable; a GLOB without a
                               slash matches a name at any depth: --exclude vendor)
  --shard K/N                  check and report only the K-th of N shards of the files (split
                               by path hash; the other files still complete chains)

Verdict
  --fail-on LIST               what fails the gate [${DEFAULTS.failOn}]
                               tokens: revoked, unknown, stale, invalid, unreachable, error, warning
  --soft-fail                  an unreachable responder is a warning, as in browsers
  --profile NAME               public-tls|private-tls|client-tls|rfc5280 [${DEFAULTS.profile}]
  --now ISO-8601               judge every time against this instant [the clock]: a date
                               (midnight UTC) or a time with Z or an offset
  --clock-skew DUR             tolerated clock difference [${DEFAULTS.clockSkew}]
  --expiry-warning DUR         warn when a certificate expires within DUR [${DEFAULTS.expiryWarning}]
  --expiry-error DUR           error when a certificate expires within DUR, shorter than
                               --expiry-warning [${DEFAULTS.expiryError}]

Chains
  --trust FILE                 extra trust anchors (repeatable)
  --issuer FILE                extra issuer certificates (repeatable)

Revocation
  --revocation MODE            auto|ocsp|crl|off [${DEFAULTS.revocation}]; auto: OCSP when the
                               certificate names a responder, else its CRL
  --next-update-margin DUR     stale when nextUpdate is this close [${DEFAULTS.nextUpdateMargin}]
  --max-age DUR                oldest thisUpdate accepted without nextUpdate [${DEFAULTS.maxAge}]
  --responder-cert FILE        pin the OCSP responder certificate (repeatable)
  --ocsp-method auto|post|get  [${DEFAULTS.ocspMethod}]
  --nonce auto|require|off     [${DEFAULTS.nonce}]
  --hash sha1|sha256           CertID hash [${DEFAULTS.hash}]
  --timeout DUR                per request [${DEFAULTS.timeout}]
  --retries N                  [${DEFAULTS.retries}]
  --concurrency N              requests in flight [${DEFAULTS.concurrency}]
  --deadline DUR               budget of the whole run's network work (OCSP, CRLs, caIssuers,
                               ARI, endpoints); what is not done by then is unreachable, and
                               the report is still complete [${DEFAULTS.deadline}]
  --crl-max-size MB            largest CRL downloaded [${DEFAULTS.crlMaxBytes / 1024 / 1024}]
  --crl-budget SIZE            memory held by downloaded CRLs across the run; a CRL past it
                               is unreachable [${DEFAULTS.crlBudget}]
  --allow-private-network      let URLs from certificates reach loopback and private
                               addresses (link-local and metadata addresses never)
  --endpoint HOST[:PORT][=FILE]
                               connect, check that the served leaf is for HOST and judge
                               the stapled OCSP response (repeatable); with =FILE the
                               endpoint must serve FILE's leaf and chain (endpoint-drift)
  --resolve HOST:PORT:ADDRESS  connect to ADDRESS for that endpoint, still sending and
                               checking HOST (curl's syntax; repeatable)
  --staple FILE                judge a stored OCSP response (repeatable)
  --cache-dir DIR              reuse fetched responses and CRLs while fresh
  --save-evidence DIR          write every OCSP response and CRL used (DER)

Server configuration
  --server-config FILE         an nginx or Apache configuration (detected by content; repeatable):
                               the certificate, chain, trusted and staple files it names are
                               checked, each certificate paired with its key, stapling linted
  --server-root DIR            what the configurations' relative paths and includes resolve
                               against; includes are never followed outside it [the config's folder]

Certificate Transparency
  --require-sct                every leaf needs the embedded SCTs Chrome's CT policy asks
                               for (public-tls already asks it of leaves under system roots)
  --ct-log-list FILE           verify each SCT against this log list (v3 JSON, as Chrome
                               and Apple publish it): signature and log state

Deploy hygiene
  --key FILE                   a private key that will be deployed: it must belong to a checked
                               leaf (repeatable; PEM or DER, PKCS#8, PKCS#1 or SEC1; an encrypted
                               key is reported, never decrypted; key material is never printed)
  --expect-name NAME           every leaf must cover NAME (DNS name, wildcard as RFC 9525 allows,
                               or IP address) in its subjectAltName (repeatable)

Renewal
  --ari URL                    ask the ACME server's renewalInfo resource (RFC 9773) about each
                               leaf: a warning inside the suggested window, an error past it

At most ${MAX_URLS_PER_KIND} URLs of each kind (OCSP, CRL distribution point, caIssuers) are tried
per certificate, in the certificate's order; the verdict names the others.
DUR is a number with s, m, h or d; SIZE a number with B, KiB, MiB or GiB. Exit status: 0 pass, 1 fail, 2 usage error or nothing to check.
`

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
  format: { type: 'string' },
  output: { type: 'string' },
  config: { type: 'string' },
  'fail-on': { type: 'string' },
  'soft-fail': { type: 'boolean' },
  profile: { type: 'string' },
  now: { type: 'string' },
  'clock-skew': { type: 'string' },
  'expiry-warning': { type: 'string' },
  'expiry-error': { type: 'string' },
  trust: { type: 'string', multiple: true },
  issuer: { type: 'string', multiple: true },
  revocation: { type: 'string' },
  'next-update-margin': { type: 'string' },
  'max-age': { type: 'string' },
  'responder-cert': { type: 'string', multiple: true },
  'ocsp-method': { type: 'string' },
  nonce: { type: 'string' },
  hash: { type: 'string' },
  timeout: { type: 'string' },
  retries: { type: 'string' },
  concurrency: { type: 'string' },
  deadline: { type: 'string' },
  'crl-max-size': { type: 'string' },
  'crl-budget': { type: 'string' },
  'allow-private-network': { type: 'boolean' },
  endpoint: { type: 'string', multiple: true },
  resolve: { type: 'string', multiple: true },
  staple: { type: 'string', multiple: true },
  'cache-dir': { type: 'string' },
  'save-evidence': { type: 'string' },
  shard: { type: 'string' },
  exclude: { type: 'string', multiple: true },
  'require-sct': { type: 'boolean' },
  'ct-log-list': { type: 'string' },
  ari: { type: 'string' },
  key: { type: 'string', multiple: true },
  'expect-name': { type: 'string', multiple: true },
  'server-config': { type: 'string', multiple: true },
  'server-root': { type: 'string' },
} as const

/** Runs the CLI with argv (without node and script) and returns the exit status. */
export async function runCli(
  argv: string[],
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream & { isTTY?: boolean }; cwd: string },
): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true })
  } catch (err) {
    io.stderr.write(`certgate: ${argumentError(argv, err as Error)}\nTry 'certgate --help'.\n`)
    return EXIT.usage
  }
  const { values, positionals } = parsed
  if (values.help) {
    io.stdout.write(HELP)
    return EXIT.pass
  }
  if (values.version) {
    io.stdout.write(`${VERSION}\n`)
    return EXIT.pass
  }
  const [command, ...paths] = positionals
  if (command === 'rules') {
    try {
      const format = parseChoice('--format', values.format ?? 'text', ['text', 'json', 'markdown'] as const)
      const unknown = paths.filter((id) => !ruleIds.has(id))
      if (unknown.length > 0) {
        throw new UsageError(
          `no rule "${unknown[0]}"${didYouMean(unknown[0], ruleIds)} ('certgate rules' lists them all)`,
        )
      }
      io.stdout.write(renderRules(format, paths))
      return EXIT.pass
    } catch (err) {
      io.stderr.write(`certgate: ${(err as Error).message}\n`)
      return EXIT.usage
    }
  }
  if (command === 'merge') return runMerge(paths, values, io)
  if (command !== 'check') {
    io.stderr.write(
      `certgate: ${command ? `unknown command "${command}"${didYouMean(command, COMMANDS)}` : 'no command given'}; use "certgate check <path>..."\nTry 'certgate --help'.\n`,
    )
    return EXIT.usage
  }

  try {
    const format = parseChoice<OutputFormat>('--format', values.format ?? 'text', ['text', 'json', 'sarif'])
    const config = loadConfig(io.cwd, values.config, ruleIds)
    // Flags win over the config file, key by key.
    const flags: RawSettings = {}
    for (const [key, value] of Object.entries(values)) {
      if (value !== undefined && !['help', 'version', 'format', 'output', 'config'].includes(key)) {
        ;(flags as Record<string, unknown>)[key] = value
      }
    }
    const options = resolveOptions(flags, { inputs: paths, cwd: io.cwd, config })
    const progress = io.stderr.isTTY && format === 'text' ? progressPrinter(io.stderr) : undefined
    const report = await check(options, { onProgress: progress?.update })
    progress?.done()

    return writeReport(report, format, values.output, io)
  } catch (err) {
    return failure(err, io)
  }
}

type Io = Parameters<typeof runCli>[1]

/** `certgate merge`: shard reports in, the whole run's report out, gated like check. */
function runMerge(paths: string[], values: { format?: string; output?: string }, io: Io): number {
  try {
    const format = parseChoice<OutputFormat>('--format', values.format ?? 'text', ['text', 'json', 'sarif'])
    const reports = paths.map((path) => {
      let text: string
      try {
        text = readFileSync(resolve(io.cwd, path), 'utf8')
      } catch (err) {
        throw new UsageError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`)
      }
      return { name: path, report: parseReport(path, text) }
    })
    return writeReport(mergeReports(reports), format, values.output, io)
  } catch (err) {
    return failure(err, io)
  }
}

function writeReport(report: Report, format: OutputFormat, output: string | undefined, io: Io): number {
  const rendered = renderReport(report, format, {
    color: format === 'text' && Boolean((io.stdout as { isTTY?: boolean }).isTTY),
  })
  io.stdout.write(rendered)
  if (output) {
    const target = resolve(io.cwd, output)
    try {
      mkdirSync(dirname(target), { recursive: true })
      writeFileSync(target, format === 'text' ? renderReport(report, 'text', { color: false }) : rendered)
    } catch (err) {
      // The report is on stdout already; the file the pipeline asked for is not, and that must not pass unnoticed.
      const { code, message } = err as NodeJS.ErrnoException
      io.stderr.write(
        `certgate: --output ${output}: cannot write the report there (${code ?? message}); the report above is complete\n`,
      )
      return EXIT.usage
    }
  }
  return report.result === 'pass' ? EXIT.pass : EXIT.fail
}

const COMMANDS = ['check', 'merge', 'rules']

/**
 * parseArgs's message for an unknown option advises `--` for positionals;
 * what the user needs is the option they meant.
 */
function argumentError(argv: string[], err: Error): string {
  if ((err as NodeJS.ErrnoException).code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
    return err.message.split('\n')[0]
  const known = Object.entries(OPTIONS).flatMap(([name, o]) => [
    `--${name}`,
    ...('short' in o ? [`-${o.short}`] : []),
  ])
  const end = argv.indexOf('--')
  const given = (end < 0 ? argv : argv.slice(0, end)).filter((a) => a.startsWith('-') && a !== '-')
  const unknown = given.map((a) => a.split('=')[0]).find((a) => !known.includes(a)) ?? given[0]
  return `unknown option ${unknown}${didYouMean(unknown, known)}`
}

function failure(err: unknown, io: Io): number {
  if (err instanceof UsageError) {
    io.stderr.write(`certgate: ${err.message}\n`)
    return EXIT.usage
  }
  io.stderr.write(
    `certgate: internal error: ${(err as Error).message}\n` +
      (process.env.CERTGATE_DEBUG
        ? `${(err as Error).stack}\n`
        : 'Set CERTGATE_DEBUG=1 for the stack trace.\n'),
  )
  return EXIT.usage
}

/** On a terminal, a run longer than a second shows what is done and what is in flight. */
function progressPrinter(stream: NodeJS.WritableStream): { update: (p: Progress) => void; done: () => void } {
  const started = Date.now()
  let shown = false
  return {
    update(p) {
      if (Date.now() - started < 1000) return
      shown = true
      stream.write(
        `\r\x1b[K${p.stage}: ${p.filesDone}/${p.filesTotal} files, ${p.certificates} certificates, ${p.requestsInFlight} requests in flight`,
      )
    },
    done() {
      if (shown) stream.write('\r\x1b[K')
    },
  }
}

// Run when executed directly (node dist/cli.js or the `certgate` bin), not when imported by tests.
const invokedDirectly = process.argv[1] && /(?:cli\.(?:js|ts)|certgate)$/.test(process.argv[1])
if (invokedDirectly) {
  runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }).then(
    (code) => {
      process.exitCode = code
    },
  )
}
