/**
 * The fuzzer's proof (issue 10, acceptance 5), on the real reference server: each fault of the
 * catalogue with `proof: fuzz` is found within the default budget, shrunk to a minimal input, and
 * found again, identically, by a second run with the same seed; its reproduction scenario is
 * lint-clean and fails on the faulted server with a check citing the fault's requirement (the
 * rule of test/suites/proof.ts) while passing on the clean one. The clean server gives nothing.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runFuzz, type FuzzReport } from '../../../harness/fuzz/fuzz.ts'
import type { Finding } from '../../../harness/fuzz/finding.ts'
import { prepareSuite } from '../../../harness/runner/prepare.ts'
import { runConfig } from '../../../harness/runner/run-config.ts'
import { runSuite } from '../../../harness/run-suite.ts'
import { repoRoot } from '../../../harness/scenario/vocabulary.ts'
import { faultCatalogue } from '../../../reference-server/faults.ts'
import { proofProblem } from '../../suites/proof.ts'

/** One fixed seed: the runs are deterministic, the budget is the default one. */
const SEED = 20261205
const root = repoRoot()
const folders: string[] = []
afterAll(() => Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true }))))

const fuzzFaults = faultCatalogue.filter((fault) => fault.proof === 'fuzz')

/** What a replay must give again: the properties, minimal inputs and scenarios. */
const essence = (report: FuzzReport) =>
  report.findings.map((f) => ({ property: f.property, input: f.input, yaml: f.scenario.yaml }))

/** Saves a finding's scenario under a `suites/fuzz/` folder, as the report says to. */
async function savedScenario(finding: Finding): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'dcrc-fuzz-'))
  folders.push(folder)
  const file = join(folder, finding.scenario.file)
  await mkdir(join(folder, 'suites', 'fuzz'), { recursive: true })
  await writeFile(file, finding.scenario.yaml)
  return file
}

describe('fuzz on the clean reference server', () => {
  it('finds nothing, registers valid input, and deletes every client', { timeout: 300_000 }, async () => {
    const report = await runFuzz({ seed: SEED, cwd: root })
    expect(report.findings).toEqual([])
    expect(report.status).toBe('passed')
    expect(report.runs).toBe(200)
    expect(report.answers.valid?.sent).toBeGreaterThan(0)
    expect(report.answers.valid?.refused).toBe(0)
    expect(report.clients.registered).toBeGreaterThan(0)
    expect(report.clients.leftovers).toEqual([])
  })
})

describe('fuzz finds the input-dependent faults', () => {
  it('has three of them in the catalogue', () => {
    expect(fuzzFaults.map((fault) => fault.name).sort()).toEqual([
      'contacts-non-ascii-garbled',
      'fragment-redirect-multi-accepted',
      'jwks-no-kty-crash',
    ])
  })

  for (const fault of fuzzFaults) {
    it(fault.name, { timeout: 600_000 }, async () => {
      const report = await runFuzz({ seed: SEED, faults: [fault.name], cwd: root })
      const finding = report.findings.find((f) => fault.requirements.includes(f.requirement))
      expect(finding, JSON.stringify(report.findings.map((f) => f.property))).toBeDefined()
      expect(report.status).toBe('failed')
      expect(report.clients.leftovers).toEqual([])
      expectMinimal(fault.name, finding!)

      const again = await runFuzz({ seed: SEED, faults: [fault.name], cwd: root })
      expect(essence(again)).toEqual(essence(report))

      const file = await savedScenario(finding!)
      const suite = await prepareSuite(runConfig({ suite: [file], cwd: root }))
      expect(suite.planned.map((s) => s.doc.id)).toEqual([finding!.scenario.id])
      const faulted = await runSuite({ suite: [file], faults: [fault.name], loginDriver: 'http', cwd: root })
      expect(proofProblem(faulted.scenarios[0], fault.requirements)).toBeUndefined()
      const clean = await runSuite({ suite: [file], loginDriver: 'http', cwd: root })
      expect(clean.scenarios[0]?.outcome).toBe('passed')
    })
  }
})

/** The shrunk input holds only what triggers the fault. */
function expectMinimal(fault: string, finding: Finding) {
  expect('metadata' in finding.input).toBe(true)
  const metadata = (finding.input as { metadata: Record<string, unknown> }).metadata
  const members = Object.keys(metadata).filter((name) => name !== 'scope').sort()
  const uris = metadata.redirect_uris as string[]
  switch (fault) {
    case 'jwks-no-kty-crash':
      expect(finding.property).toBe('no-5xx')
      expect(members).toEqual(['jwks', 'redirect_uris'])
      expect(uris).toHaveLength(1)
      expect(metadata.jwks).toEqual({ keys: [{}] })
      break
    case 'fragment-redirect-multi-accepted':
      expect(finding.property).toBe('invalid:fragment:redirect_uris')
      expect(members).toEqual(['redirect_uris'])
      expect(uris).toHaveLength(2)
      expect(uris.filter((uri) => uri.includes('#'))).toHaveLength(1)
      expect(Math.max(...uris.map((uri) => uri.length))).toBeLessThanOrEqual('https://rp.harness.test/#'.length)
      break
    case 'contacts-non-ascii-garbled':
      expect(finding.property).toBe('echo:contacts')
      expect(members).toEqual(['contacts', 'redirect_uris'])
      expect(metadata.contacts).toHaveLength(1)
      expect((metadata.contacts as string[])[0]).toMatch(/^[^\u0000-\u007f]@rp\.harness\.test$/u)
      break
    default:
      throw new Error(`no minimality rule for ${fault}`)
  }
}
