/**
 * `dcr-conformance fixtures`: the fixtures a scenario can call with `use`, the package's and
 * those of the suite folders given with `--suite` (their `fixtures/` folder), each with its
 * description and the members of `with` it reads.
 */
import { resolve } from 'node:path'
import type { CliIo } from './cli-io.ts'
import { choiceOption, parseCommand } from '../config/args.ts'
import { importSuiteFixture } from '../actions/fixtures/external.ts'
import type { Fixture } from '../actions/fixtures/fixture.ts'
import { FIXTURE_NAMES } from '../actions/fixtures/names.ts'
import { FIXTURE_MODULES } from '../actions/fixtures/registry.ts'
import { FIXTURES_USAGE } from '../config/usage.ts'
import { HarnessError } from '../errors.ts'
import { suiteFixtures } from '../scenario/extension.ts'

export interface ListedFixture {
  name: string
  description: string
  inputs: Record<string, string>
  /** `package`, or the module file of a suite folder's fixture. */
  source: string
}

export async function fixturesCommand(argv: string[], io: CliIo): Promise<number> {
  const stdout = io.stdout ?? process.stdout
  const parsed = parseCommand(
    argv,
    { suite: { type: 'string', multiple: true }, format: { type: 'string' } },
    { command: 'fixtures', usage: FIXTURES_USAGE, stdout },
  )
  if (!parsed) return 0
  const { values } = parsed
  const format = choiceOption('--format', values.format, ['text', 'json'], 'text')
  const cwd = io.cwd ?? process.cwd()
  const fixtures = await listFixtures((values.suite ?? []).map((folder) => resolve(cwd, folder)))
  const text = format === 'json' ? `${JSON.stringify(fixtures, null, 2)}\n` : fixturesText(fixtures)
  stdout.write(text)
  return 0
}

/** The package's fixtures, then each suite folder's, sorted by name within each. */
export async function listFixtures(suiteFolders: string[]): Promise<ListedFixture[]> {
  const listed: ListedFixture[] = []
  for (const name of [...FIXTURE_NAMES].sort()) {
    listed.push(describe(name, (await FIXTURE_MODULES[name]()).fixture, 'package'))
  }
  for (const folder of suiteFolders) {
    for (const [name, file] of await suiteFixtures(folder)) {
      listed.push(describe(name, (await importSuiteFixture(file)).fixture, file))
    }
  }
  return listed
}

function describe(name: string, fixture: Fixture | undefined, source: string): ListedFixture {
  if (!fixture || typeof fixture.execute !== 'function') {
    throw new HarnessError('E_FIXTURE', `fixture '${name}' (${source}) does not export \`fixture\``)
  }
  return { name, description: fixture.description, inputs: { ...fixture.inputs }, source }
}

function fixturesText(fixtures: ListedFixture[]): string {
  const lines: string[] = []
  for (const fixture of fixtures) {
    const from = fixture.source === 'package' ? '' : `  (${fixture.source})`
    lines.push(`${fixture.name}${from}`, `  ${fixture.description}`)
    const inputs = Object.entries(fixture.inputs)
    if (inputs.length === 0) lines.push('  with: nothing')
    for (const [input, text] of inputs) lines.push(`  with.${input}: ${text}`)
  }
  return `${lines.join('\n')}\n`
}
