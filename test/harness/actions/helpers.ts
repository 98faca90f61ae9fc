/** A real action context against a loopback server (no runner). */
import type { ActionContext, LedgerEntry } from '../../../harness/actions/action.ts'
import type { ClosableHttpClient } from '../../../harness/http/client.ts'
import type { ResolvedTarget } from '../../../harness/model/target.ts'

export function actionContext(
  target: ResolvedTarget,
  http: ClosableHttpClient,
): ActionContext & { tracked: LedgerEntry[] } {
  const tracked: LedgerEntry[] = []
  return {
    tracked,
    target,
    http,
    ledger: { track: (entry) => tracked.push(entry), forget: () => undefined },
    initialAccessToken: async () => undefined,
    browser: () => Promise.reject(new Error('no browser in this test')),
    callbackUrl: 'http://127.0.0.1:1/callback/test',
    scenarioId: 'test/scenario',
    artifactsDir: '/tmp/dcrc-artifacts',
    signal: new AbortController().signal,
    notice: () => undefined,
  }
}
