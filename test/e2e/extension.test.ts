/**
 * Extension without forking (harness/scenario/extension.ts, harness/runner/custom-reporter.ts):
 * the worked example of suites/README.md (docs/examples/acme-suite), copied outside the package,
 * with its own requirement ids, capability, fixture and schema, run from the repository and from
 * an installed tarball (`npm pack`, installed into an empty folder).
 */
import { execFile } from 'node:child_process'
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT, ensureBuilt } from './helpers/build.ts'
import { runCli } from './helpers/streams.ts'

const EXAMPLE = join(ROOT, 'docs', 'examples', 'acme-suite')
const REPORTER = `// The lifecycle of the built-in reporters (Reporter in dcr-conformance's types).
import { writeFileSync } from 'node:fs'
export default function createReporter(options) {
  const events = []
  return {
    onRunStart: (info) => { events.push(\`start \${info.target.name} \${info.planned}\`) },
    onScenarioStart: (scenario) => { events.push(\`scenario \${scenario.id}\`) },
    onScenarioEnd: (result) => { events.push(\`end \${result.id} \${result.outcome}\`) },
    onRunEnd: (report) => {
      events.push(\`run \${report.status} \${report.requirements.map((r) => r.id).sort().join(',')}\`)
      writeFileSync(options.path, events.join('\\n') + '\\n')
    },
  }
}
`

/** A project folder holding a copy of the example suite and a reporter module. */
async function project(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dcrc-extension-'))
  await cp(EXAMPLE, join(dir, 'acme-suite'), { recursive: true })
  await writeFile(join(dir, 'my-reporter.mjs'), REPORTER)
  return dir
}

describe('a suite folder outside the package, from the repository', () => {
  it('runs with its own requirement ids, fixture, schema, YAML merge keys and a reporter module', async () => {
    const dir = await project()
    const result = await runCli(
      ['--suite', 'acme-suite', '--login-driver', 'http', '--reporter', 'json=report.json', '--reporter', './my-reporter.mjs=events.txt'],
      { cwd: dir },
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/✓ passed +registration\/software-id-echo/)
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'))
    const verdicts = Object.fromEntries(
      report.requirements.map((row: { id: string; verdict: string }) => [row.id, row.verdict]),
    )
    expect(verdicts).toEqual({ 'ACME-REG-1': 'pass', 'ACME-REG-2': 'pass', 'R7591-3.2.1-a': 'pass' })
    const again = report.scenarios[0].steps.find((step: { id: string }) => step.id === 'again')
    const sent = JSON.parse(again.exchanges.at(-1).request.body)
    expect(sent).toMatchObject({ client_name: 'ACME test client', software_version: '1.0' })
    expect(sent).not.toHaveProperty('<<')
    const events = (await readFile(join(dir, 'events.txt'), 'utf8')).trim().split('\n')
    expect(events).toEqual([
      'start reference 1',
      'scenario registration/software-id-echo',
      'end registration/software-id-echo passed',
      'run passed ACME-REG-1,ACME-REG-2,R7591-3.2.1-a',
    ])
  })

  it('lints against the extended catalog: an unknown id and a changed built-in row are errors', async () => {
    const dir = await project()
    const scenario = await readFile(join(dir, 'acme-suite/registration/software-id-echo.yaml'), 'utf8')
    await writeFile(
      join(dir, 'acme-suite/registration/typo.yaml'),
      scenario.replace('id: registration/software-id-echo', 'id: registration/typo').replace('[ACME-REG-1,', '[ACME-REG-9,'),
    )
    const typo = await runCli(['list', '--suite', 'acme-suite'], { cwd: dir })
    expect(typo.code).toBe(2)
    expect(typo.stderr).toMatch(/registration\/typo\.yaml:\d+:\d+: .*ACME-REG-9/)

    await rm(join(dir, 'acme-suite/registration/typo.yaml'))
    await writeFile(
      join(dir, 'acme-suite/requirements.yaml'),
      'tested:\n  - { id: R7591-3.2.1-a, level: should, title: "Success is 201" }\n',
    )
    const changed = await runCli(['list', '--suite', 'acme-suite'], { cwd: dir })
    expect(changed.code).toBe(2)
    expect(changed.stderr).toContain('requirement R7591-3.2.1-a is already in the catalog with another level or title')
  })

  it('lists its fixture with its inputs, and coverage knows its requirements', async () => {
    const dir = await project()
    const fixtures = await runCli(['fixtures', '--suite', 'acme-suite', '--format', 'json'], { cwd: dir })
    expect(fixtures.code).toBe(0)
    const listed = JSON.parse(fixtures.stdout) as { name: string; inputs: object; source: string }[]
    expect(listed.find((f) => f.name === 'software-id')).toEqual({
      name: 'software-id',
      description: 'A software_id unique to this run, with a prefix: body.software_id',
      inputs: { prefix: 'text before the UUID (default acme)' },
      source: join(dir, 'acme-suite', 'fixtures', 'software-id.mjs'),
    })
    expect(listed.find((f) => f.name === 'clock')?.inputs).toHaveProperty('skew')
    const coverage = await runCli(['coverage', '--suite', 'acme-suite', '--format', 'json'], { cwd: dir })
    expect(coverage.code).toBe(0)
    const rows = JSON.parse(coverage.stdout).requirements as { id: string; scenarios: string[] }[]
    expect(rows.find((row) => row.id === 'ACME-REG-1')?.scenarios).toEqual(['registration/software-id-echo'])
    expect(rows.find((row) => row.id === 'R7591-3.2.1-a')?.scenarios).toContain('registration/software-id-echo')
  })
})

function exec(command: string, args: string[], cwd: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(command, args, { cwd, timeout: 300_000, maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout: String(stdout), stderr: String(stderr) })
    })
  })
}

describe('a suite folder outside the package, from an installed tarball', () => {
  let work: string
  beforeAll(async () => {
    await ensureBuilt()
    work = await project()
    const pack = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT)
    expect(pack.code).toBe(0)
    const [info] = JSON.parse(pack.stdout) as { filename: string }[]
    await mkdir(join(work, 'node_modules'))
    await writeFile(join(work, 'package.json'), '{ "name": "acme-conformance", "private": true }\n')
    const flags = ['install', '--no-audit', '--no-fund', '--ignore-scripts', join(work, info!.filename)]
    let install = await exec('npm', [...flags, '--offline'], work)
    if (install.code !== 0) install = await exec('npm', [...flags, '--prefer-offline'], work)
    expect(install.code).toBe(0)
  }, 600_000)
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true })
  })

  it('runs the example suite with npx dcr-conformance, its reporter module too', async () => {
    const result = await exec(
      'npx',
      ['--no-install', 'dcr-conformance', '--suite', 'acme-suite', '--login-driver', 'http', '--reporter', './my-reporter.mjs=events.txt'],
      work,
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/Requirements: 3 pass, 0 fail/)
    const events = await readFile(join(work, 'events.txt'), 'utf8')
    expect(events).toContain('run passed ACME-REG-1,ACME-REG-2,R7591-3.2.1-a')
    // The schema locations suites/README.md documents for editors exist in the installed package.
    const installed = join(work, 'node_modules', 'dcr-conformance')
    await expect(readFile(join(installed, 'harness/scenario/scenario.schema.json'), 'utf8')).resolves.toContain('"$schema"')
    await expect(readFile(join(installed, 'harness/config/targets.schema.json'), 'utf8')).resolves.toContain('"$schema"')
  })
})
