#!/usr/bin/env node
// Entry point: runs the compiled JavaScript in dist/ (`npm run build`; `npm install` in a clone
// and `npm pack` build it through the `prepare` script). No TypeScript at run time.
import { existsSync } from 'node:fs'
import module from 'node:module'

// Node 22.1+ caches compiled code between runs (a faster start); Node 20 has no such cache.
module.enableCompileCache?.()

if (!existsSync(new URL('../dist/harness/cli.js', import.meta.url))) {
  process.stderr.write(
    'error: dcr-conformance is not built (dist/ is missing): run `npm run build` [E_INTERNAL]\n',
  )
  process.exit(3)
}
// The built-in `reference` target: the reference server, handed to the engine (which knows none).
await import('../dist/builtin/register.js')
const { main } = await import('../dist/harness/cli.js')
process.exitCode = await main(process.argv.slice(2))
