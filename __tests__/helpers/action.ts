// Running the action as the runner runs it: `node dist/index.js` with INPUT_*
// variables, the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files and the event in
// GITHUB_EVENT_NAME / GITHUB_EVENT_PATH; and a local HTTP server standing in
// for the REST API at GITHUB_API_URL.
import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { parse } from 'yaml'

const run = promisify(execFile)
export const bundle = join(process.cwd(), 'dist', 'index.js')

/**
 * The defaults action.yml declares, as the runner passes them: every input
 * arrives as INPUT_<NAME> whether the workflow set it or not. Expressions
 * (`${{ github.token }}`) are the runner's to fill; a test sets them itself.
 */
function actionDefaults(): Record<string, string> {
  const action = parse(readFileSync(join(process.cwd(), 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>
  }
  return Object.fromEntries(
    Object.entries(action.inputs)
      .filter(([, input]) => input.default !== undefined && !String(input.default).includes('${{'))
      .map(([name, input]) => [`INPUT_${name.toUpperCase()}`, String(input.default)]),
  )
}

export interface ActionRun {
  code: number
  stdout: string
  outputs: Record<string, string>
  summary: string
}

/** Reads GITHUB_OUTPUT's `name<<delimiter` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const re = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm
  for (let m = re.exec(text); m; m = re.exec(text)) outputs[m[1]] = m[3]
  return outputs
}

export async function runAction(
  workspace: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<ActionRun> {
  const outputFile = join(workspace, '.runner', 'github-output')
  const summaryFile = join(workspace, '.runner', 'step-summary')
  mkdirSync(dirname(outputFile), { recursive: true })
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const fullEnv: Record<string, string> = {
    ...actionDefaults(),
    PATH: process.env.PATH ?? '',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REPOSITORY: 'octo/certs',
    INPUT_REVOCATION: 'off',
    ...env,
  }
  // The runner passes every input, defaults included, as INPUT_<NAME> with the name upper-cased.
  for (const [name, value] of Object.entries(inputs)) fullEnv[`INPUT_${name.toUpperCase()}`] = value
  const result = await run(process.execPath, [bundle], { cwd: workspace, env: fullEnv }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e) => ({ code: e.code as number, stdout: e.stdout as string }),
  )
  return {
    ...result,
    outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
  }
}

export interface StandInApi {
  server: Server
  /** Every request, in order, to assert what was asked and with which token. */
  requests: IncomingMessage[]
  url: string
}

/**
 * A stand-in for the REST API of repository octo/certs: pull request 7's
 * files (three pages), and file contents by `path@ref` ("Get repository
 * content"; anything else is a 404 as GitHub answers it).
 */
export async function standInApi(
  files: { filename: string; status: string }[],
  contents: Record<string, string> = {},
): Promise<StandInApi> {
  const requests: IncomingMessage[] = []
  const notFound = (res: import('node:http').ServerResponse) =>
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}')
  const server: Server = createServer((req, res) => {
    requests.push(req)
    const url = new URL(req.url ?? '/', 'http://localhost')
    const content = /^\/repos\/octo\/certs\/contents\/(.+)$/.exec(url.pathname)
    if (content) {
      const path = decodeURIComponent(content[1])
      const text = contents[`${path}@${url.searchParams.get('ref')}`]
      if (text === undefined) return notFound(res)
      const body = { type: 'file', name: path.split('/').pop(), path, encoding: 'base64' }
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ...body, content: Buffer.from(text).toString('base64') }))
      return
    }
    if (url.pathname !== '/repos/octo/certs/pulls/7/files') return notFound(res)
    const page = Number(url.searchParams.get('page') ?? '1')
    const perPage = Math.ceil(files.length / 3)
    const pages = Math.ceil(files.length / perPage)
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${url.pathname}`
    const link =
      page < pages
        ? { link: `<${base}?per_page=100&page=${page + 1}>; rel="next", <${base}?page=${pages}>; rel="last"` }
        : {}
    res
      .writeHead(200, { 'content-type': 'application/json', ...link })
      .end(JSON.stringify(files.slice((page - 1) * perPage, page * perPage)))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, requests, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}
