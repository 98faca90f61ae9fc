/**
 * The CI files (action.yml, the example workflow, the Dockerfile) are checked without building
 * anything this machine cannot run: their YAML parses, every input they use is declared, and
 * every CLI option they pass is one the command's usage text (harness/config/usage.ts) lists.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join, sep } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseDocument } from 'yaml'
import { DELEGATED_USAGE, DOCTOR_USAGE, RUN_USAGE } from '../../harness/config/usage.ts'
import { REPORTER_NAMES } from '../../reporters/index.ts'
import { ROOT } from './helpers/build.ts'
import { catalogRowIds } from '../suites/catalog-rows.ts'

interface Step {
  id?: string
  name?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
  env?: Record<string, string>
}

async function yamlFile(path: string): Promise<Record<string, any>> {
  const text = await readFile(join(ROOT, path), 'utf8')
  const doc = parseDocument(text)
  expect(doc.errors.map((error) => error.message)).toEqual([])
  return doc.toJS() as Record<string, any>
}

/** The long options a usage text lists (`  --target NAME|URL  ...`, `[--reporter NAME]`). */
function optionsOf(usage: string): Set<string> {
  return new Set([...usage.matchAll(/(?:^ +|\[)(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((match) => match[1]!))
}

/** The long options of a shell script's CLI calls, leaving out npm's own. */
function optionsIn(script: string): string[] {
  const lines = script.split('\n').filter((line) => !/^\s*npm /.test(line))
  return [...new Set([...lines.join('\n').matchAll(/(?<![\w-])(--[a-z][a-z-]*)/g)].map((m) => m[1]!))]
}

const RUN = optionsOf(RUN_USAGE)
const MERGE = optionsOf(DELEGATED_USAGE['merge']!)

describe('action.yml', () => {
  it('is a composite action whose script passes only real run and merge options', async () => {
    const action = await yamlFile('action.yml')
    expect(action.runs.using).toBe('composite')
    const steps = action.runs.steps as Step[]
    const script = steps.find((step) => step.id === 'conformance')?.run ?? ''
    const used = optionsIn(script)
    expect(used).toEqual(expect.arrayContaining(['--target', '--targets', '--suite', '--shard', '--reporter', '--login-driver']))
    expect(used.filter((option) => !RUN.has(option) && !MERGE.has(option))).toEqual([])
    const reporters = [...script.matchAll(/"(\w+)=\$DIR\//g)].map(([, name]) => name)
    expect(reporters.length).toBeGreaterThan(0)
    for (const name of reporters) expect(REPORTER_NAMES).toContain(name)
    expect(script).toMatch(/args=\(merge /)
    expect(script).toMatch(/args=\(run /)
  })

  it('declares every input it reads, uploads the reports and writes the step summary', async () => {
    const action = await yamlFile('action.yml')
    const text = await readFile(join(ROOT, 'action.yml'), 'utf8')
    const read = [...text.matchAll(/inputs\.([a-z-]+)/g)].map((match) => match[1]!)
    expect(read.filter((name) => !(name in action.inputs))).toEqual([])
    const steps = action.runs.steps as Step[]
    expect(steps.map((step) => step.uses).filter(Boolean)).toEqual([
      'actions/setup-node@v4',
      'actions/upload-artifact@v4',
    ])
    expect(steps.find((step) => step.uses?.startsWith('actions/upload-artifact'))?.with?.path).toBe('${{ inputs.report-dir }}')
    expect(steps.some((step) => step.run?.includes('>> "$GITHUB_STEP_SUMMARY"'))).toBe(true)
    expect(action.outputs['exit-code'].value).toBe('${{ steps.conformance.outputs.exit-code }}')
    expect(action.inputs['login-driver'].default).toBe('auto')
  })
})

describe('.github/workflows/example-conformance.yml', () => {
  it('runs a 4-shard matrix through the action, then merges the shards', async () => {
    const workflow = await yamlFile('.github/workflows/example-conformance.yml')
    const action = await yamlFile('action.yml')
    const shard = workflow.jobs.shard
    expect(shard.strategy.matrix.shard).toEqual([1, 2, 3, 4])
    const run = (shard.steps as Step[]).find((step) => step.uses === './')!
    expect(run.with?.shard).toBe('${{ matrix.shard }}/4')
    const merge = workflow.jobs.merge
    expect(merge.needs).toBe('shard')
    const merged = (merge.steps as Step[]).find((step) => step.uses === './')!
    expect(merged.with?.command).toBe('merge')
    for (const step of [run, merged]) {
      expect(Object.keys(step.with ?? {}).filter((name) => !(name in action.inputs))).toEqual([])
    }
    // The login driver it names is one run accepts.
    expect(RUN_USAGE).toMatch(new RegExp(`--login-driver D +auto \\(default\\), browser or ${run.with?.['login-driver']}`))
  })
})

describe('Dockerfile', () => {
  it("runs the packed package on Node 20 with Debian's Chromium as the entry point", async () => {
    const text = await readFile(join(ROOT, 'Dockerfile'), 'utf8')
    const from = [...text.matchAll(/^FROM (\S+)/gm)].map((match) => match[1]!)
    expect(from.every((image) => /^node:20-bookworm(-slim)?$/.test(image))).toBe(true)
    expect(text).toMatch(/apt-get install -y --no-install-recommends chromium /)
    expect(text).toMatch(/^ENV DCR_BROWSER=\/usr\/bin\/chromium$/m)
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'))
    const entry = JSON.parse(/^ENTRYPOINT (.+)$/m.exec(text)![1]!) as string[]
    expect(entry).toEqual([Object.keys(pkg.bin)[0]])
    for (const [, files] of text.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const file of files!.split(' ').filter((f) => f !== '.')) {
        await expect(readFile(join(ROOT, file))).resolves.toBeInstanceOf(Buffer)
      }
    }
  })
})

/** The scenario files under suites/, by folder (the first path segment). */
async function scenarioCounts(): Promise<Map<string, number>> {
  const counts = new Map<string, number>()
  for (const entry of await readdir(join(ROOT, 'suites'), { recursive: true })) {
    const [folder, ...rest] = entry.split(sep)
    if (rest.length === 0 || !entry.endsWith('.yaml')) continue
    counts.set(folder!, (counts.get(folder!) ?? 0) + 1)
  }
  return counts
}

describe('README', () => {
  it("states the suites' size as it is: scenarios in all and per folder, catalog rows", async () => {
    const text = await readFile(join(ROOT, 'README.md'), 'utf8')
    const counts = await scenarioCounts()
    const total = [...counts.values()].reduce((sum, n) => sum + n, 0)
    expect(text).toContain(`${total} scenarios in \`suites/\``)
    const rows = (await catalogRowIds()).length
    expect(text).toContain(`\`suites/requirements.yaml\`: ${rows} rows`)
    // The folder table: `| \`a/\`, \`b/\` | 2, 17 | ... |` names folders and their counts in order.
    const table = [...text.matchAll(/^\| ((?:`[\w-]+\/`(?:, )?)+) \| ([\d, ]+) \|/gm)]
    const stated = new Map<string, number>()
    for (const [, folders, numbers] of table) {
      const names = [...folders!.matchAll(/`([\w-]+)\/`/g)].map((m) => m[1]!)
      const values = numbers!.split(',').map((n) => Number(n.trim()))
      names.forEach((name, at) => stated.set(name, values[at]!))
    }
    expect(Object.fromEntries(stated)).toEqual(Object.fromEntries(counts))
  })

  it('documents doctor, init, the Action, the Dockerfile, the extension points and the HTTP login driver', async () => {
    const text = await readFile(join(ROOT, 'README.md'), 'utf8')
    for (const needle of ['dcr-conformance doctor', 'dcr-conformance init', 'action.yml', 'docker build', '--login-driver http', 'requirements.yaml', '--reporter ./']) {
      expect(text).toContain(needle)
    }
    const doctor = optionsOf(DOCTOR_USAGE)
    for (const [, line] of text.matchAll(/^(?:npx )?dcr-conformance doctor (.*)$/gm)) {
      expect(optionsIn(line!).filter((option) => !doctor.has(option))).toEqual([])
    }
  })
})
