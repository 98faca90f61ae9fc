/**
 * One-line hints where the cause is typical (issue 11, item 7): the TLS CA (tls.ca, never
 * endpoints.*), a registration that needs an initial access token, a login that never reached
 * the callback. The TLS case runs against a real https server with a private CA.
 */
import { readFileSync } from 'node:fs'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { discoverTarget } from '../../harness/config/discovery.ts'
import { createHttpClient } from '../../harness/http/client.ts'
import type { StepResult } from '../../harness/model/result.ts'
import {
  checkHint,
  errorHint,
  IAT_HINT,
  IAT_REFUSED_HINT,
  RATE_LIMIT_HINT,
  LOGIN_HINT,
  scenarioHint,
  TLS_HINT,
} from '../../reporters/hints.ts'
import { rateLimitedChecks } from '../../harness/verdicts/rate-limited.ts'
import { credentialsRefusedChecks } from '../../harness/verdicts/credentials-refused.ts'
import { rootCauses } from '../../harness/verdicts/root-causes.ts'
import { renderSummary } from '../../reporters/console.ts'
import { createPalette } from '../../reporters/ansi.ts'
import { rootCauseHint } from '../../reporters/hints.ts'
import { sampleReport, sampleScenarios } from './sample-report.ts'

const tls = new URL('../../fixtures/tls/', import.meta.url)
const server = createServer(
  {
    cert: readFileSync(new URL('server.pem', tls)),
    key: readFileSync(new URL('server-key.pem', tls)),
  },
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end('{}')
  },
)
let origin = ''
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

function registration(status: number, authorization?: string): StepResult {
  return {
    id: 'reg',
    action: 'register',
    outcome: 'failed',
    durationMs: 1,
    checks: [
      { name: 'status', level: 'must', ok: false, requirement: 'R7591-3.2.1-a', actual: status },
    ],
    exchanges: [
      {
        request: {
          method: 'POST',
          url: `${origin}/register`,
          headers: authorization ? { authorization } : {},
        },
        response: { status, headers: {} },
        durationMs: 1,
      },
    ],
    artifacts: [],
  }
}

describe('hints', () => {
  it('a certificate the harness cannot verify points at tls.ca, not endpoints.*', async () => {
    const http = createHttpClient()
    try {
      const failure = await discoverTarget({ name: 'acme', issuer: origin }, http).then(
        () => undefined,
        (error: Error) => error,
      )
      expect(failure?.message).toMatch(/certificate/)
      expect(failure?.message).toContain('tls: { ca: ./ca.pem }')
      expect(failure?.message).toContain('NODE_EXTRA_CA_CERTS')
      expect(failure?.message).not.toContain('set endpoints.registration_endpoint')
      expect(errorHint(`E_HTTP: ${failure?.message}`)).toBe(TLS_HINT)
    } finally {
      await http.close()
    }
  })

  it('a registration refused without a token suggests configuring the IAT', () => {
    const step = registration(401)
    expect(checkHint(step, step.checks[0]!)).toBe(IAT_HINT)
    const withToken = registration(401, 'Bearer [REDACTED]')
    expect(checkHint(withToken, withToken.checks[0]!)).toBeUndefined()
    const other = registration(400)
    expect(checkHint(other, other.checks[0]!)).toBeUndefined()
  })

  it("the run's credentials refused: the IAT hint without a token, else check the token", () => {
    const withRunCredentials = (authorization?: string): StepResult => {
      const step = registration(401, authorization)
      step.exchanges[0]!.runCredentials = true
      step.exchanges[0]!.response!.headers['www-authenticate'] = 'Bearer error="invalid_token"'
      step.action = 'use'
      step.checks = credentialsRefusedChecks(step.exchanges)
      return step
    }
    const tokenless = withRunCredentials()
    expect(checkHint(tokenless, tokenless.checks[0]!)).toBe(IAT_HINT)
    const refused = withRunCredentials('Bearer [REDACTED]')
    expect(checkHint(refused, refused.checks[0]!)).toBe(IAT_REFUSED_HINT)
  })

  it('an answer still 429 after the retries points at the run\'s concurrency', () => {
    const step = registration(429)
    const [limited] = rateLimitedChecks({ status: 429 })
    expect(checkHint(step, limited!)).toBe(RATE_LIMIT_HINT)
    expect(rateLimitedChecks({ status: 400 })).toEqual([])
  })

  it('a login that never reached the callback points at the recipe and the driver', () => {
    const errored = sampleScenarios().find((s) => s.id === 'authorize/code-flow')!
    expect(scenarioHint(errored)).toBe(LOGIN_HINT)
    expect(errorHint('E_HTTP: target unreachable (ECONNREFUSED)')).toBeUndefined()
  })

  it('a registration that blocks scenarios with 401 gets the IAT hint under its root cause', () => {
    const scenarios = sampleScenarios()
    for (const scenario of scenarios.filter((s) => s.outcome === 'inconclusive')) {
      const step = scenario.steps[0]!
      step.checks[0]!.actual = 401
      step.exchanges = registration(401).exchanges
    }
    const report = sampleReport({ scenarios, rootCauses: rootCauses(scenarios) })
    expect(rootCauseHint(report, report.rootCauses[0]!)).toBe(IAT_HINT)
    const text = renderSummary(report, createPalette(false))
    expect(text).toContain(`blocks 2 scenarios; the answer violates R7591-3.2.1-a\n    hint: ${IAT_HINT}`)
    // The sample as it is (a 400, no exchange) gets no hint.
    expect(rootCauseHint(sampleReport(), sampleReport().rootCauses[0]!)).toBeUndefined()
  })
})
