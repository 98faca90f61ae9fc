// The harness run several times in one process, each run as the CLI does it (a fresh reference
// target, its own JSON report): the first run is cold, as every real run is; the later ones run
// code V8 has already optimised. Set beside replay.ts's rounds, this tells the harness's cold
// start apart from its work per request (bench/README.md).
//
// JavaScript, not TypeScript: like bin/dcr-conformance.js it runs on plain Node, since the tsx
// loader would stand between the harness and every module it loads on first use.
//
// Usage: node bench/warm-harness.js ROUNDS REPORT_PREFIX CLI_ARGS...
// Prints one JSON line, { rounds }: each run's report durationMs. The reports are
// REPORT_PREFIX-1.json, REPORT_PREFIX-2.json, ...
import { readFile } from 'node:fs/promises'

const [roundsArg, prefix, ...cliArgs] = process.argv.slice(2)
const rounds = Number(roundsArg)
if (!Number.isInteger(rounds) || rounds < 1 || !prefix) {
  throw new Error('usage: warm-harness.js ROUNDS REPORT_PREFIX CLI_ARGS...')
}
// The compiled CLI, as bin/dcr-conformance.js runs it (the built-in target registered first).
await import('../dist/builtin/register.js')
const { main } = await import('../dist/harness/cli.js')
const durations = []
for (let round = 1; round <= rounds; round++) {
  const reportFile = `${prefix}-${round}.json`
  const code = await main([...cliArgs, '-q', '--reporter', `json=${reportFile}`])
  if (code !== 0) throw new Error(`run ${round} exited with ${code}`)
  durations.push(JSON.parse(await readFile(reportFile, 'utf8')).durationMs)
}
process.stdout.write(`${JSON.stringify({ rounds: durations })}\n`)
