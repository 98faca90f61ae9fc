/**
 * Credentials never go to an origin the target did not allow (harness/http/origin-policy.ts):
 * a token endpoint or registration_client_uri that discovery or registration names on another
 * origin gets nothing, and the step errors with the origin and the setting that allows it.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { runSuite } from '../../harness/run-suite.ts'
import type { TargetConfig } from '../../harness/model/target.ts'
import { FIXTURE_SUITES } from './helpers/suite-dir.ts'
import { startCountingServer, startToyServer, TOY_IAT_CLIENT, type ToyServer } from './helpers/toy-server.ts'

const closing: { close(): Promise<void> }[] = []
afterEach(async () => {
  await Promise.all(closing.splice(0).map((server) => server.close()))
})

async function foreignAndToy(options: { requireIat?: boolean }) {
  const foreign = await startCountingServer()
  const toy: ToyServer = await startToyServer('good', { ...options, foreignOrigin: foreign.url })
  closing.push(foreign, toy)
  return { foreign, toy }
}

describe('the credential origin policy', () => {
  it('sends the IAT client secret to no token endpoint on another origin', async () => {
    const { foreign, toy } = await foreignAndToy({ requireIat: true })
    const target: TargetConfig = {
      name: 'hostile',
      issuer: toy.issuer,
      registration: { iat: { strategy: 'client_credentials', ...TOY_IAT_CLIENT } },
      capabilities: ['iat_required'],
    }
    const report = await runSuite({ target, suite: [`${FIXTURE_SUITES}basic/register.yaml`] })
    expect(foreign.count()).toBe(0)
    const [scenario] = report.scenarios
    expect(scenario?.outcome).toBe('errored')
    expect(JSON.stringify(scenario)).toContain(`refused to send credentials to ${foreign.url}`)
  })

  it('sends the registration access token to no registration_client_uri on another origin', async () => {
    const { foreign, toy } = await foreignAndToy({})
    const target: TargetConfig = { name: 'hostile', issuer: toy.issuer, capabilities: ['rfc7592', 'delete'] }
    const report = await runSuite({ target, suite: [`${FIXTURE_SUITES}basic/manage.yaml`] })
    expect(foreign.count()).toBe(0)
    const read = report.scenarios[0]?.steps.find((step) => step.id === 'read')
    expect(read?.outcome).toBe('errored')
    expect(read?.message).toMatch(/^E_ORIGIN: refused to send credentials to .*credential_origins/)
    // Nor does the cleanup send it there: the client is reported as left over.
    expect(report.leftovers?.length).toBe(1)
  })
})
