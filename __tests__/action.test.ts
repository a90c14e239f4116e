// The action as the runner runs it: `node dist/index.js` with INPUT_*
// variables and the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files. Workflow
// commands on stdout are what the runner turns into annotations.
import { execFile } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { ext, issue, tempDir, webPki } from './helpers/pki.js'

const run = promisify(execFile)
const bundle = join(process.cwd(), 'dist', 'index.js')

async function runAction(workspace: string, inputs: Record<string, string>) {
  const outputFile = join(workspace, 'github-output')
  const summaryFile = join(workspace, 'step-summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    INPUT_REVOCATION: 'off',
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  const result = await run(process.execPath, [bundle], { cwd: workspace, env }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e) => ({ code: e.code as number, stdout: e.stdout as string }),
  )
  return { ...result, outputs: readFileSync(outputFile, 'utf8'), summary: readFileSync(summaryFile, 'utf8') }
}

;(existsSync(bundle) ? describe : describe.skip)('dist/index.js', () => {
  test('lints the files input, annotates findings and fails the step on errors', async () => {
    const workspace = tempDir('certgate-action-')
    const { root, intermediate } = await webPki()
    const weak = await issue({
      cn: 'weak.example.test',
      issuer: intermediate,
      key: 'rsa1024',
      extensions: [ext.notCa(), ext.leafKeyUsage(), ext.serverAuth(), ext.san('weak.example.test')],
    })
    writeFileSync(join(workspace, 'root.pem'), root.pem)
    writeFileSync(join(workspace, 'site.pem'), 'Site certificate\n' + weak.pem + intermediate.pem)
    const { code, stdout, outputs, summary } = await runAction(workspace, {
      files: 'site.pem',
      trust: 'root.pem',
    })
    expect(stdout).toMatch(/^::error title=certgate weak-key,file=site\.pem,line=2::RSA key of 1024 bits/m)
    expect(stdout).toContain('::group::')
    expect(stdout).toMatch(/^::error::certgate: gate failed on .*weak-key/m)
    expect(outputs).toMatch(/result<<.*\nfail\n/)
    expect(summary).toContain('site.pem:2')
    expect(code).toBe(1)
  })

  test('a bad input value fails the step naming the input and the accepted values', async () => {
    const workspace = tempDir('certgate-action-')
    const { code, stdout } = await runAction(workspace, { files: '.', 'fail-on': 'revokd' })
    expect(stdout).toContain(
      '::error::certgate: input "fail-on": "revokd" not accepted; use a comma-separated list of',
    )
    expect(code).toBe(1)
  })
})
