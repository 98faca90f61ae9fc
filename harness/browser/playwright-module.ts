/**
 * playwright-core, loaded on first use with `require`: through `import()` Node would first scan
 * its 3.6 MB CommonJS bundle for export names (cjs-module-lexer), about 0.2 s of the run's main
 * thread while the first scenarios run (bench/README.md).
 */
import { createRequire } from 'node:module'

type PlaywrightCore = typeof import('playwright-core')

let loaded: PlaywrightCore | undefined

export function playwrightCore(): PlaywrightCore {
  loaded ??= createRequire(import.meta.url)('playwright-core') as PlaywrightCore
  return loaded
}
