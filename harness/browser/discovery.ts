/**
 * Finding a Chrome/Chromium executable. Order: `DCR_BROWSER`, the target's `browser` setting,
 * the browser Playwright installed, well-known system paths, then names looked up on `PATH`.
 * Every source is injectable so that tests can hide the machine's browser.
 */
import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import { delimiter, join } from 'node:path'
import { playwrightCore } from './playwright-module.ts'

export const SYSTEM_BROWSER_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
]

export const BROWSER_COMMAND_NAMES = [
  'chromium',
  'chromium-browser',
  'google-chrome',
  'google-chrome-stable',
  'chrome',
]

export interface BrowserDiscoveryOptions {
  /** Default `process.env` (`DCR_BROWSER`, `PATH`). */
  env?: Record<string, string | undefined>
  /** The target's `browser` setting. */
  targetBrowser?: string
  /** Where Playwright's own Chromium would be; default asks playwright-core. */
  playwrightExecutable?: () => Promise<string | undefined>
  systemPaths?: string[]
  commandNames?: string[]
}

export interface BrowserDiscovery {
  /** The executable found, if any. */
  executable?: string
  /** Where it came from (`DCR_BROWSER`, `target`, `playwright`, `system`, `PATH`). */
  source?: string
  /** Everything looked at, for the notice when nothing was found. */
  looked: string[]
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    const info = await stat(path)
    if (!info.isFile()) return false
    await access(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

async function playwrightInstalledChromium(): Promise<string | undefined> {
  try {
    const { chromium } = playwrightCore()
    return chromium.executablePath()
  } catch {
    return undefined
  }
}

/** Find a browser; `executable` is undefined when none of the places has one. */
export async function discoverBrowser(
  options: BrowserDiscoveryOptions = {},
): Promise<BrowserDiscovery> {
  const env = options.env ?? process.env
  const candidates: { path: string; source: string; label: string }[] = []
  const fromEnv = env.DCR_BROWSER
  if (fromEnv)
    candidates.push({ path: fromEnv, source: 'DCR_BROWSER', label: `DCR_BROWSER=${fromEnv}` })
  if (options.targetBrowser) {
    candidates.push({
      path: options.targetBrowser,
      source: 'target',
      label: `target browser ${options.targetBrowser}`,
    })
  }
  const playwright = await (options.playwrightExecutable ?? playwrightInstalledChromium)()
  if (playwright) candidates.push({ path: playwright, source: 'playwright', label: playwright })
  for (const path of options.systemPaths ?? SYSTEM_BROWSER_PATHS) {
    candidates.push({ path, source: 'system', label: path })
  }
  const pathDirs = (env.PATH ?? '').split(delimiter).filter((dir) => dir !== '')
  const names = options.commandNames ?? BROWSER_COMMAND_NAMES
  for (const name of names) {
    for (const dir of pathDirs)
      candidates.push({ path: join(dir, name), source: 'PATH', label: '' })
  }

  for (const candidate of candidates) {
    if (await isExecutableFile(candidate.path)) {
      return { executable: candidate.path, source: candidate.source, looked: [] }
    }
  }
  const looked = candidates.filter((candidate) => candidate.label !== '').map((c) => c.label)
  if (names.length > 0) looked.push(`PATH for ${names.join(', ')}`)
  return { looked }
}
