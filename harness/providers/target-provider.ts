/**
 * Target providers: how the engine gets a target it has to start first. A provider starts a
 * server (in-process, a child process, a container, ...) and hands back a targets.yaml-style
 * target config (issuer, capabilities, data) and a way to stop it; it may also inject faults and
 * add commands. The engine defines this interface and knows no provider's server: the built-in
 * `reference` provider registers itself from builtin/register.ts, the `command` provider
 * (command.ts) is the engine's own. docs/architecture.md says how to add one.
 */
import type { TargetConfig } from '../model/target.ts'

/** A command a provider adds to the command line (`serve`, `faults`), in the engine's shape. */
export type ProviderCommand = (
  argv: string[],
  io: { stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream },
) => Promise<number>

/**
 * A targets.yaml entry that names a provider (`provider:`). Its other members are resolved only
 * once the provider has started, so they may read variables the started target exports.
 */
export interface ProviderEntry {
  /** The target's name in targets.yaml. */
  target: string
  /** The `provider:` member, environment already substituted. */
  settings: Readonly<Record<string, unknown>>
  /** The targets file's folder: relative paths in `settings` are relative to it. */
  baseDir: string
  /**
   * The entry's expectations file (resolved), known before the start so that it is validated
   * with everything else before anything runs.
   */
  expectations?: string
  /** The entry as a target config, with `exported` over the run's environment. */
  resolve(exported: Readonly<Record<string, string>>): TargetConfig
}

export interface ProviderStartRequest {
  /** Faults to inject (only providers with `faultNames` accept any). */
  faults?: readonly string[]
  /** Provider-specific overrides (the reference provider: server policy). */
  config?: Readonly<Record<string, unknown>>
  /** The targets.yaml entry, for providers started from one. */
  entry?: ProviderEntry
}

/** A started target: its config (as if written in targets.yaml) and how to stop it. */
export interface StartedTarget {
  target: TargetConfig
  close(): Promise<void>
}

export interface TargetProvider {
  readonly name: string
  start(request: ProviderStartRequest): Promise<StartedTarget>
  /** The faults it can inject; scenarios' `faults:` are linted against them. */
  faultNames?(): Promise<ReadonlySet<string>>
  /** Commands it adds to the command line, by name. */
  readonly commands?: Readonly<Record<string, ProviderCommand>>
}

/** A target the engine has to start: which provider, and the targets.yaml entry if any. */
export interface ProviderLaunch {
  provider: string
  entry?: ProviderEntry
}
