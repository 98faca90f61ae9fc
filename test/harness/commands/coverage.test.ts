import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { computeCoverage, coverageCommand, formatCoverageMarkdown } from '../../../harness/commands/coverage.ts'
import { UsageError } from '../../../harness/errors.ts'
import { catalogRowIds } from '../../suites/catalog-rows.ts'

const requirementsYaml = `tested:
  - { id: R-1, level: must, title: "first rule" }
  - { id: R-2, level: should, title: "second | rule" }
  - { id: R-3, level: must, title: "nobody tests me" }
  - { id: V-1, level: must, vendor: curity, title: "vendor rule" }
untested:
  - { id: R-4, level: must, title: "needs a scanner", category: needs-environment, reason: "no TLS scanner" }
  - { id: R-5, level: may, title: "internal", category: not-black-box, reason: "server internals" }
`

const scenarioA = `id: area/a
title: A
requirements: [R-1]
faults: [fault-x]
steps:
  - id: one
    http: { url: https://example.test/ }
    requirement: V-1
    expect:
      - status: 200
        requirement: R-2
`

const scenarioB = `id: area/b
title: B
requirements: [R-1]
faults: [fault-y, fault-x]
steps:
  - id: one
    http: { url: https://example.test/ }
cleanup:
  - id: two
    http: { url: https://example.test/ }
    expect: { status: 200, requirement: R-2 }
`

let root: string

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'coverage-'))
  await mkdir(join(root, 'suites', 'area'), { recursive: true })
  await writeFile(join(root, 'suites', 'requirements.yaml'), requirementsYaml)
  await writeFile(join(root, 'suites', 'area', 'a.yaml'), scenarioA)
  await writeFile(join(root, 'suites', 'area', 'b.yaml'), scenarioB)
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('computeCoverage', () => {
  it('maps each requirement to the scenarios naming it (scenario, step and check level) and their faults', async () => {
    const report = await computeCoverage({ root })
    const byId = new Map(report.requirements.map((row) => [row.id, row]))
    expect(byId.get('R-1')).toMatchObject({
      tested: true,
      level: 'must',
      scenarios: ['area/a', 'area/b'],
      faults: ['fault-x', 'fault-y'],
    })
    expect(byId.get('R-2')).toMatchObject({
      scenarios: ['area/a', 'area/b'],
      faults: ['fault-x', 'fault-y'],
    })
    expect(byId.get('V-1')).toMatchObject({
      level: 'vendor-specific',
      scenarios: ['area/a'],
      faults: ['fault-x'],
    })
    expect(byId.get('R-3')).toMatchObject({ tested: true, scenarios: [], faults: [] })
    expect(byId.get('R-4')).toMatchObject({
      tested: false,
      category: 'needs-environment',
      reason: 'no TLS scanner',
      scenarios: [],
    })
  })

  it('counts testable rows without the not-black-box ones and reports uncovered tested rows', async () => {
    const { summary } = await computeCoverage({ root })
    expect(summary).toEqual({ total: 6, testable: 5, covered: 3, ratio: 3 / 5, uncovered: ['R-3'] })
  })

  it('covers the project catalog: every row once, at least 90% of the testable rows', async () => {
    const report = await computeCoverage()
    const ids = report.requirements.map((row) => row.id)
    expect([...ids].sort()).toEqual((await catalogRowIds()).sort())
    expect(new Set(ids).size).toBe(ids.length)
    expect(report.summary.ratio).toBeGreaterThanOrEqual(0.9)
    for (const row of report.requirements.filter((r) => !r.tested))
      expect(row.reason, row.id).not.toBe('')
  })
})

describe('formatCoverageMarkdown', () => {
  it('prints a summary line, the tested table with gaps marked, and the untested reasons', async () => {
    const text = formatCoverageMarkdown(await computeCoverage({ root }))
    expect(text).toContain('3/5 testable requirements covered (60.0%)')
    expect(text).toContain(
      '| R-1 | must | first rule | `area/a`<br>`area/b` | `fault-x`, `fault-y` |',
    )
    expect(text).toContain('| R-2 | should | second \\| rule |')
    expect(text).toContain('| R-3 | must | nobody tests me | **none yet** | - |')
    expect(text).toContain('| R-5 | may | internal | not-black-box | server internals |')
  })
})

describe('coverageCommand', () => {
  async function run(argv: string[]): Promise<{ code: number; out: string }> {
    const stdout = new PassThrough()
    let out = ''
    stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    const code = await coverageCommand(argv, { stdout })
    return { code, out }
  }

  it('prints JSON with requirements and summary', async () => {
    const { code, out } = await run(['--format', 'json'])
    expect(code).toBe(0)
    const parsed = JSON.parse(out) as {
      requirements: { id: string; scenarios: string[] }[]
      summary: { testable: number }
    }
    expect(parsed.summary.testable).toBeGreaterThan(0)
    expect(parsed.requirements.find((row) => row.id === 'R7591-3.2.1-a')?.scenarios).toContain(
      'registration/status-201-created',
    )
  })

  it('prints Markdown by default', async () => {
    const { code, out } = await run([])
    expect(code).toBe(0)
    expect(out.startsWith('# Requirement coverage\n')).toBe(true)
  })

  it('rejects an unknown format or option as a usage error', async () => {
    await expect(run(['--format', 'xml'])).rejects.toBeInstanceOf(UsageError)
    await expect(run(['--bogus'])).rejects.toBeInstanceOf(UsageError)
  })
})
