// How a message names a setting. One setting is a flag on the command line
// (--issuer), an input of the action (issuers) or a key of the config file
// (issuer:), and advice must name it the way the user can set it where
// certgate runs: an annotation saying "pass --issuer" leaves a workflow author
// with nothing to type, as the action has no flags. The shells describe
// themselves here; the stages get the result as `advise` in the options they
// are given, and never import a shell.
import type { RawSettings } from './options.js'

export type SettingKey = keyof RawSettings

/** The config file read when none is named, and the one advice points at when none was read. */
export const DEFAULT_CONFIG_FILE = '.certgate.yml'

/**
 * Names a setting as the user can set it where certgate runs, to `value`
 * when the advice is about one: `--revocation crl` on the command line,
 * input "revocation" set to crl in the action, the config file's key when
 * the action has no input for it.
 */
export type Advise = (key: SettingKey, value?: string) => string

/** How a shell takes settings. */
export interface Shell {
  /** Its name for a setting (`--timeout`, input "timeout"), or undefined when only the config file sets it there. */
  name: (key: SettingKey) => string | undefined
  /** Flags take their value after a space and switches take none; inputs and config keys are "set to" one. */
  flags: boolean
}

/** Settings that are on or off: a flag alone on the command line, `true` in an input or the config file. */
const SWITCHES: ReadonlySet<SettingKey> = new Set(['soft-fail', 'allow-private-network', 'require-sct'])

export const COMMAND_LINE: Shell = { name: (key) => `--${key}`, flags: true }

/** The Advise of `shell`; a setting it has no name for is the key of `configName`. */
export function adviser(shell: Shell, configName = DEFAULT_CONFIG_FILE): Advise {
  return (key, value) => {
    const named = shell.name(key)
    if (named !== undefined && shell.flags)
      return value === undefined || SWITCHES.has(key) ? named : `${named} ${value}`
    const where = named ?? `${configName} key "${key}"`
    const given = value ?? (SWITCHES.has(key) ? 'true' : undefined)
    return given === undefined ? where : `${where} set to ${given}`
  }
}

/** Advice as the command line gives it: the engine's wording when no shell said otherwise (tests, benchmarks). */
export const flagAdvice: Advise = adviser(COMMAND_LINE)
