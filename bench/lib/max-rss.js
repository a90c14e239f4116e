// Fallback where GNU time is missing: runs a Node script in this process and
// writes the process's peak RSS (KiB) and CPU seconds (user, system) to a
// file when it exits, in GNU time's `%M %U %S` form.
// usage: node max-rss.js RSS_FILE SCRIPT [ARGS...]
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const [rssFile, script, ...args] = process.argv.slice(2)
process.argv = [process.argv[0], resolve(script), ...args]
process.on('exit', () => {
  const { maxRSS, userCPUTime, systemCPUTime } = process.resourceUsage()
  writeFileSync(rssFile, `${maxRSS} ${userCPUTime / 1e6} ${systemCPUTime / 1e6}\n`)
})
await import(pathToFileURL(resolve(script)).href)
