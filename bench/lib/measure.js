// Wall time, CPU time and peak memory of one child process, and the median of several.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, open, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const GNU_TIME = '/usr/bin/time'
const RSS_WRAPPER = fileURLToPath(new URL('./max-rss.js', import.meta.url))

/**
 * @typedef {object} Measurement
 * @property {number} ms           wall time from spawn to exit
 * @property {number|null} exitCode
 * @property {number} maxRssKiB    peak resident memory of the measured process
 * @property {number} cpuMs        user + system CPU time of the measured process, all its threads
 * @property {string} stdoutFile   where its stdout went (the caller reads it once, not per run)
 * @property {string} stderr
 */

/**
 * Runs `command args` once (in `cwd`, with `env` when given) with stdout to a file and returns how long it
 * took, its CPU time and its peak RSS: GNU time's %M %U %S where it exists,
 * else a Node wrapper that reports process.resourceUsage() (Node commands only).
 * @returns {Promise<Measurement>}
 */
export async function measureProcess(command, args, { stdoutFile, cwd, env } = {}) {
  const scratch = await mkdtemp(join(tmpdir(), 'certgate-bench-rss-'))
  const rssFile = join(scratch, 'rss')
  const [wrapped, wrappedArgs] = existsSync(GNU_TIME)
    ? [GNU_TIME, ['-f', '%M %U %S', '-o', rssFile, command, ...args]]
    : rssWrapper(command, args, rssFile)
  const stdout = await open(stdoutFile ?? '/dev/null', 'w')
  try {
    const started = performance.now()
    const { exitCode, stderr } = await runChild(wrapped, wrappedArgs, stdout.fd, { cwd, env })
    const ms = performance.now() - started
    // The last line: GNU time writes "Command exited with non-zero status N" before it.
    const [rss, user, system] = (await readFile(rssFile, 'utf8').catch(() => ''))
      .trim()
      .split('\n')
      .pop()
      .split(' ')
      .map(Number)
    const maxRssKiB = Number.isFinite(rss) ? rss : 0
    const cpuMs = Number.isFinite(user) && Number.isFinite(system) ? (user + system) * 1000 : 0
    return { ms, exitCode, maxRssKiB, cpuMs, stdoutFile, stderr }
  } finally {
    await stdout.close()
    await rm(scratch, { recursive: true, force: true })
  }
}

function rssWrapper(command, args, rssFile) {
  if (command !== process.execPath)
    throw new Error(`no ${GNU_TIME}: peak memory can only be read for node commands`)
  return [process.execPath, [RSS_WRAPPER, rssFile, ...args]]
}

function runChild(command, args, stdoutFd, { cwd, env }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', stdoutFd, 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.once('error', reject)
    child.once('close', (exitCode) => resolve({ exitCode, stderr }))
  })
}

/** Runs `measure` `runs` times, one after another, and returns every result in order. */
export async function repeat(runs, measure) {
  const results = []
  for (let i = 0; i < runs; i++) results.push(await measure())
  return results
}

/** The median; for an even count the mean of the two middle values. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** Median wall and CPU time and largest peak memory of repeated runs: the figures a table row shows. */
export function summarise(results) {
  return {
    ms: median(results.map((r) => r.ms)),
    cpuMs: median(results.map((r) => r.cpuMs)),
    maxRssKiB: Math.max(...results.map((r) => r.maxRssKiB)),
  }
}

/** Throws with the process's own words when it exited otherwise than `allowed`: a failed run is no timing. */
export function expectExit(result, allowed, what) {
  if (!allowed.includes(result.exitCode)) {
    throw new Error(`${what} exited ${result.exitCode}: ${result.stderr.trim().slice(0, 500)}`)
  }
}
