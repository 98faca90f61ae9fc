#!/usr/bin/env node
// Entry point: registers the TypeScript loader (tsx) so the sources run as they are, no build step.
import { register } from 'tsx/esm/api'

register()
// The built-in `reference` target: the reference server, handed to the engine (which knows none).
await import('../builtin/register.ts')
const { main } = await import('../harness/cli.ts')
process.exitCode = await main(process.argv.slice(2))
