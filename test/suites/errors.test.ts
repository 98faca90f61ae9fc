/**
 * A server that answers its registration errors with 200 (defect pattern 10: `{"error": ...}` in
 * a 200) still refused each request: the refusal scenarios pass their own requirements
 * (`refused: true`, harness/checks/refusal.ts), and only the requirements about the error
 * response's status fail: R7591-3.2.2-a, RFC 7592 §2.2's refused update (R7592-2.2-g, which
 * takes RFC 7591 §3.2.2's error response) and Curity's 400 JSON rejections (CUR-ERR-1).
 */
import { describe, expect, it } from 'vitest'
import { startReferenceTarget } from '../../builtin/reference-target.ts'
import { runSuite } from '../../harness/run-suite.ts'
import { repoRoot } from '../../harness/scenario/vocabulary.ts'

describe('errors in a 200 are one finding on the error status', () => {
  it('fails only the requirements about the error response', { timeout: 180_000 }, async () => {
    const reference = await startReferenceTarget({ faults: ['error-200'] })
    try {
      const report = await runSuite({
        target: reference.target,
        loginDriver: 'http',
        workers: 4,
        cwd: repoRoot(),
      })
      const failed = report.scenarios.filter((scenario) => scenario.outcome === 'failed')
      const requirements = failed.flatMap((scenario) =>
        scenario.steps.flatMap((step) =>
          step.checks.filter((c) => !c.ok && c.level === 'must').map((c) => c.requirement),
        ),
      )
      expect(failed.map((scenario) => scenario.id)).toContain('errors/status-and-json-body')
      expect(new Set(requirements)).toEqual(new Set(['R7591-3.2.2-a', 'R7592-2.2-g', 'CUR-ERR-1']))
    } finally {
      await reference.close()
    }
  })
})
