/**
 * playwright-core, loaded on first use with `require` (which keeps it): through `import()` Node
 * would first scan its 3.6 MB CommonJS bundle for export names (cjs-module-lexer), about 0.2 s
 * of the run's main thread while the first scenarios run (bench/README.md).
 */
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

export function playwrightCore(): typeof import('playwright-core') {
  return require('playwright-core') as typeof import('playwright-core')
}
