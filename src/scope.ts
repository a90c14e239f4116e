// Which of the discovered files a run checks and reports. Every file is still
// loaded, so a chain can be completed from certificates outside the scope,
// but only files in scope are linted, asked about and reported. Two scopes
// exist: the files a pull request changes (the action's changed-only) and
// one shard of a run split across a matrix of runners (--shard K/N).
import { createHash } from 'node:crypto'

/** What a scope knows of a file: its display path and, for files on disk, its real path. */
export interface ScopedFile {
  /** Display path (relative to the working directory, '/'-separated). */
  file: string
  /** Absolute path with symlinks resolved; absent for an endpoint's served chain. */
  realPath?: string
}

export interface FileScope {
  /** For the report and messages: "shard 2/4", "12 files changed by the pull request". */
  readonly label: string
  includes(file: ScopedFile): boolean
  /** An endpoint as the user named it (HOST[:PORT]) in scope? */
  includesEndpoint(endpoint: string): boolean
  /**
   * When this scope would leave out every file it was meant to catch: why,
   * and the scope to use instead (undefined: every file). A pull request
   * that changes certificate files none of which is among the files found
   * must not end in "0 files checked, pass".
   */
  widen?(files: readonly ScopedFile[]): { reason: string; scope?: FileScope } | undefined
}

export interface Shard {
  /** 1-based. */
  index: number
  count: number
}

/**
 * The shard a path belongs to, from a hash of the path alone: every runner of
 * a matrix computes the same split without talking to the others, and adding
 * a file moves no other file between shards.
 */
export function shardOf(path: string, count: number): number {
  return (createHash('sha256').update(path).digest().readUInt32BE(0) % count) + 1
}

export function shardScope(shard: Shard): FileScope {
  return {
    label: `shard ${shard.index}/${shard.count}`,
    includes: ({ file }) => shardOf(file, shard.count) === shard.index,
    includesEndpoint: (endpoint) => shardOf(endpoint, shard.count) === shard.index,
  }
}

/** Files in both scopes (changed by the pull request and in this shard). */
export function intersectScopes(a: FileScope, b: FileScope | undefined): FileScope {
  if (!b) return a
  return {
    label: `${a.label}, ${b.label}`,
    includes: (file) => a.includes(file) && b.includes(file),
    includesEndpoint: (endpoint) => a.includesEndpoint(endpoint) && b.includesEndpoint(endpoint),
    widen: (files) => {
      const wider = a.widen?.(files)
      return wider && { reason: wider.reason, scope: wider.scope ? intersectScopes(wider.scope, b) : b }
    },
  }
}
