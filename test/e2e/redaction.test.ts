/**
 * Redaction by value (docs/redaction.md), end to end against the reference server:
 * - secrets that are common words (`secret`, `wrong`, `challenge`) rewrite no id, title, step id
 *   or check name, and every planned scenario is in the JSON and JUnit reports;
 * - no report format holds a secret of the run (configuration, issued credentials, the login
 *   cookies and the interaction handle they carry), with both login drivers.
 */
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runSuite } from '../../harness/run-suite.ts'
import { loadScenarioFiles } from '../../harness/scenario/load.ts'
import { repoRoot } from '../../harness/scenario/vocabulary.ts'
import type { Report } from '../../harness/model/report.ts'
import { captureStream } from './helpers/streams.ts'
import { recordServerResponses, secretsIn } from './helpers/response-recorder.ts'

const root = repoRoot()
const folders: string[] = []
afterAll(async () => {
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })))
})

async function reportFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'dcrc-redaction-'))
  folders.push(folder)
  return folder
}

/** The reference server's configured secrets, as the scenarios' targets file would give them. */
function referenceSecrets(secrets: { iat: string; password: string; management: string }) {
  return {
    users: [{ username: 'alice', password: secrets.password, claims: { name: 'Alice Example' } }],
    registrationClient: { client_secret: secrets.iat },
    managementClients: [
      { client_id: 'dcr-manager', client_secret: secrets.management, scope: 'dcrm', grant_types: ['client_credentials'] },
    ],
  }
}

/** `ids: titles` of every `<testcase>` of a JUnit report, XML entities decoded. */
function junitCaseNames(xml: string): string[] {
  const decode = (text: string) =>
    text
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&#(\d+);/g, (_m, code: string) => String.fromCodePoint(Number(code)))
      .replace(/&amp;/g, '&')
  return [...xml.matchAll(/<testcase\b[^>]*\bname="([^"]*)"/g)].map((match) => decode(match[1]!))
}

/** Every name the suite wrote that a report carries: a mark in one of them is a rewrite. */
function suiteNames(report: Report): string[] {
  return report.scenarios.flatMap((scenario) => [
    scenario.id,
    scenario.title,
    scenario.file,
    ...scenario.steps.flatMap((step) => [step.id, ...step.checks.map((check) => check.name)]),
  ])
}

describe('secrets that are common words', () => {
  it(
    'rewrite no id, title or check name, and every planned scenario is reported',
    { timeout: 300_000 },
    async () => {
      const folder = await reportFolder()
      const json = join(folder, 'report.json')
      const junit = join(folder, 'junit.xml')
      const planned = await loadScenarioFiles([join(root, 'suites')], { cwd: root })
      const report = await runSuite({
        target: 'reference',
        referenceConfig: referenceSecrets({ iat: 'secret', password: 'wrong', management: 'challenge' }),
        loginDriver: 'http',
        workers: 4,
        reporters: [`json=${json}`, `junit=${junit}`],
        stream: captureStream(),
        cwd: root,
      })
      // The weak secrets were really used: logins and IATs worked.
      expect(report.counts.passed).toBeGreaterThan(100)

      const written = JSON.parse(await readFile(json, 'utf8')) as Report
      const byId = new Map(written.scenarios.map((scenario) => [scenario.id, scenario.title]))
      expect(written.scenarios).toHaveLength(planned.length)
      for (const scenario of planned) expect(byId.get(scenario.doc.id), scenario.doc.id).toBe(scenario.doc.title)
      const cases = new Set(junitCaseNames(await readFile(junit, 'utf8')))
      for (const scenario of planned)
        expect(cases.has(`${scenario.doc.id}: ${scenario.doc.title}`), scenario.doc.id).toBe(true)

      for (const name of suiteNames(written)) expect(name).not.toContain('[REDACTED')
      const text = JSON.stringify(written)
      // A mark never sits inside a word (`code_[REDACTED]`, `no-[REDACTED]`).
      expect(text).not.toMatch(/[A-Za-z0-9_-]\[REDACTED|\[REDACTED\][A-Za-z0-9_]/)
      expect(text).toContain('code_challenge')
      // In credential positions the words are still secrets.
      expect(text).toContain('password=[REDACTED]')
      for (const leak of ['password=wrong', 'client_secret=secret', 'client_secret=challenge'])
        expect(text).not.toContain(leak)
      for (const pair of ['server:secret', 'dcr-manager:challenge'])
        expect(text).not.toContain(Buffer.from(pair).toString('base64'))
    },
  )
})

const STRONG = {
  iat: 'iat-client-S3cret-7c1d9e',
  password: 'alice-Passw0rd-4b2a',
  management: 'manager-S3cret-e8f05a',
}

async function reportsOf(driver: 'http' | 'browser', suite: string[]) {
  const folder = await reportFolder()
  const files = {
    json: join(folder, 'report.json'),
    junit: join(folder, 'junit.xml'),
    markdown: join(folder, 'summary.md'),
    html: join(folder, 'report.html'),
  }
  const console = captureStream()
  const recorder = recordServerResponses()
  let report: Report
  try {
    report = await runSuite({
      target: 'reference',
      referenceConfig: referenceSecrets(STRONG),
      loginDriver: driver,
      workers: 2,
      suite,
      reporters: [
        'console',
        `json=${files.json}`,
        `junit=${files.junit}`,
        `markdown=${files.markdown}`,
        `html=${files.html}`,
      ],
      stream: console,
      env: { ...process.env, DCR_BROWSER: '/usr/bin/chromium', NO_COLOR: '1' },
      cwd: root,
    })
  } finally {
    recorder.stop()
  }
  const outputs: Record<string, string> = { console: console.text() }
  for (const [name, file] of Object.entries(files)) outputs[name] = await readFile(file, 'utf8')
  return { report, outputs, secrets: secretsIn(recorder.responses) }
}

describe.each([
  { driver: 'http' as const, suite: [join(root, 'suites')] },
  { driver: 'browser' as const, suite: [join(root, 'suites', 'code-flow')] },
])('the reference suite, login driver $driver', ({ driver, suite }) => {
  it.skipIf(driver === 'browser' && !existsSync('/usr/bin/chromium'))(
    'reports none of the run’s secrets in any format, login cookies included',
    { timeout: 300_000 },
    async () => {
      const { report, outputs, secrets } = await reportsOf(driver, suite)
      expect(report.counts.passed).toBeGreaterThan(10)
      // The recorder saw what it must (so the test can fail): handles, sessions, tokens.
      expect(secrets.cookies.length).toBeGreaterThan(1)
      expect(secrets.handles.length).toBeGreaterThan(0)
      expect(secrets.issued.length).toBeGreaterThan(20)
      const all = [...Object.values(STRONG), ...secrets.cookies, ...secrets.handles, ...secrets.issued]
      for (const [format, text] of Object.entries(outputs)) {
        expect(text.length, format).toBeGreaterThan(500)
        for (const secret of all) {
          expect(text.includes(secret), `${format} holds ${secret}`).toBe(false)
          expect(text.includes(encodeURIComponent(secret)), `${format} holds ${secret}`).toBe(false)
        }
      }
      // The login form is in the JSON report, its handle redacted.
      expect(outputs.json).toContain('interaction=[REDACTED]')
    },
  )
})
