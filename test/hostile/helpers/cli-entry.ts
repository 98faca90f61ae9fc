/**
 * The CLI as bin/dcr-conformance.js runs it (built-in target registered, then `main`), from the
 * sources, so real-process tests do not depend on a fresh `npm run build`. Started with
 * `node --import tsx test/hostile/helpers/cli-entry.ts ARGS` (see cli-process.ts).
 */
await import('../../../builtin/register.ts')
const { main } = await import('../../../harness/cli.ts')
process.exitCode = await main(process.argv.slice(2))
