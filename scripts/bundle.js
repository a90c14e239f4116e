// Builds the two committed bundles with ncc: dist/index.js (the action) and
// dist/cli.js (the CLI and the package's bin). Each is built into its own
// folder first because ncc names its output index.js.
import { execFileSync } from 'node:child_process'
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const ncc = join('node_modules', '.bin', 'ncc')
const entries = [
  { entry: 'src/index.ts', out: 'dist/index.js' },
  { entry: 'src/cli.ts', out: 'dist/cli.js' },
]

rmSync('build/bundle', { recursive: true, force: true })
mkdirSync('dist', { recursive: true })
for (const { entry, out } of entries) {
  const dir = join('build', 'bundle', entry.replace(/\W+/g, '-'))
  execFileSync(
    ncc,
    ['build', entry, '-o', dir, '--minify', '--no-source-map-register', '--quiet', '--target', 'es2022'],
    {
      stdio: 'inherit',
    },
  )
  const files = readdirSync(dir)
  const extra = files.filter((f) => f !== 'index.js' && f !== 'package.json')
  if (extra.length)
    throw new Error(`ncc emitted extra files for ${entry}: ${extra.join(', ')}; bundle them or ship them`)
  copyFileSync(join(dir, 'index.js'), out)
  if (out.endsWith('cli.js')) chmodSync(out, 0o755)
}
if (existsSync('build/bundle')) rmSync('build/bundle', { recursive: true, force: true })
