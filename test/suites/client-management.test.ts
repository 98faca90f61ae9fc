/**
 * client-management/ against reference servers that differ from the default one:
 * - a server answering a relative registration_client_uri makes every RFC 7592 scenario
 *   inconclusive (a precondition naming what the answer violates), never errored, and the report
 *   groups them in one root cause;
 * - token revocation after DELETE is observable through introspection or through the refresh
 *   token: a target with only one of the two capabilities still runs one of the scenarios.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startReferenceTarget } from '../../builtin/reference-target.ts'
import { runSuite } from '../../harness/run-suite.ts'
import { repoRoot } from '../../harness/scenario/vocabulary.ts'

const root = repoRoot()
const suite = (...ids: string[]) => ids.map((id) => join(root, 'suites', `${id}.yaml`))

describe('client-management/ against a relative registration_client_uri', () => {
  it(
    'is inconclusive (violates OIDCR-4.1-a), never errored, with one root cause',
    { timeout: 180_000 },
    async () => {
      const reference = await startReferenceTarget({ faults: ['relative-registration-client-uri'] })
      try {
        const report = await runSuite({
          target: reference.target,
          suite: [join(root, 'suites', 'client-management')],
          loginDriver: 'http',
          workers: 4,
          cwd: root,
        })
        const rfc7592 = report.scenarios.filter((s) => s.outcome !== 'skipped')
        expect(rfc7592.length).toBeGreaterThan(15)
        expect(report.scenarios.filter((s) => s.outcome === 'errored').map((s) => s.id)).toEqual([])
        for (const scenario of rfc7592) {
          expect(scenario.outcome, scenario.id).toBe('inconclusive')
          expect(scenario.blocker?.violates, scenario.id).toBe('OIDCR-4.1-a')
        }
        expect(report.rootCauses).toHaveLength(1)
        expect(report.rootCauses[0]!.violates).toBe('OIDCR-4.1-a')
        expect([...report.rootCauses[0]!.scenarios].sort()).toEqual(
          rfc7592.map((s) => s.id).sort(),
        )
      } finally {
        await reference.close()
      }
    },
  )
})

describe('delete revokes tokens: introspection or refresh tokens is enough', () => {
  const scenarios = suite(
    'client-management/delete-revokes-tokens',
    'client-management/delete-revokes-refresh-token',
  )

  async function outcomes(without: string, faults: string[] = []) {
    const reference = await startReferenceTarget({ faults })
    try {
      const target = {
        ...reference.target,
        capabilities: (reference.target.capabilities ?? []).filter((flag) => flag !== without),
      }
      const report = await runSuite({ target, suite: scenarios, loginDriver: 'http', cwd: root })
      return Object.fromEntries(report.scenarios.map((s) => [s.id, s.outcome]))
    } finally {
      await reference.close()
    }
  }

  it('a target without introspection is tested through the refresh token', { timeout: 120_000 }, async () => {
    expect(await outcomes('introspection')).toEqual({
      'client-management/delete-revokes-tokens': 'skipped',
      'client-management/delete-revokes-refresh-token': 'passed',
    })
    expect(await outcomes('introspection', ['delete-keeps-refresh-tokens'])).toMatchObject({
      'client-management/delete-revokes-refresh-token': 'warned',
    })
  })

  it('a target without refresh tokens is tested through introspection', { timeout: 120_000 }, async () => {
    expect(await outcomes('refresh_tokens')).toEqual({
      'client-management/delete-revokes-tokens': 'passed',
      'client-management/delete-revokes-refresh-token': 'skipped',
    })
    expect(await outcomes('refresh_tokens', ['delete-keeps-tokens'])).toMatchObject({
      'client-management/delete-revokes-tokens': 'warned',
    })
  })
})
