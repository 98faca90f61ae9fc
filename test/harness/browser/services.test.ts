import { describe, expect, it } from 'vitest'
import { createBrowserServices } from '../../../harness/browser/services.ts'
import type { RunBrowserServices } from '../../../harness/browser/services.ts'
import { HarnessError } from '../../../harness/errors.ts'
import { createHttpClient } from '../../../harness/http/client.ts'
import { startMiniAuthServer } from './support/mini-auth-server.ts'
import { authorizationUrl, miniTarget } from './support/targets.ts'
import { forFile, tempFolderForFile } from '../../support/for-file.ts'

/** Discovery that finds nothing: DCR_BROWSER points at a missing file, everything else hidden. */
const nothingFound = {
  env: { DCR_BROWSER: '/nonexistent/chromium-for-test', PATH: '' },
  playwrightExecutable: async () => undefined,
  systemPaths: [],
}

const [server, http] = await Promise.all([forFile(startMiniAuthServer()), forFile(createHttpClient())])
const artifactsDir = await tempFolderForFile('brw-services-')

/** One scenario's authorization through `services`, logging in at the mini server. */
function authorize(services: RunBrowserServices, scenarioId: string) {
  const redirectUri = services.callbackUrlFor(scenarioId)
  const url = authorizationUrl(server, { redirect_uri: redirectUri })
  return services.authorize({ url, redirectUri, login: true, scenarioId })
}

/** Services for the mini server that keep no notices, finding a browser as `discovery` says. */
function silentServices(discovery: typeof nothingFound) {
  return createBrowserServices({
    target: miniTarget(server),
    driver: 'auto',
    http,
    notice: () => undefined,
    artifactsDir,
    discovery,
  })
}

describe('browser services', () => {
  it('releases what a scenario that authorized holds: its next authorization starts afresh', async () => {
    const services = await silentServices(nothingFound)
    try {
      expect((await authorize(services, 's/released')).sessionReused).toBe(false) // logs in
      await services.releaseScenario('s/released')
      // Released, the scenario's own cookie jar is gone: it starts from the stored session. Kept,
      // it would go on with its jar (no session reuse to report).
      expect((await authorize(services, 's/released')).sessionReused).toBe(true)
    } finally {
      await services.close()
    }
  })

  it("releases a scenario that never authorized at once, without waiting for the driver's start", async () => {
    let finishDiscovery: (path: undefined) => void = () => undefined
    const discovering = new Promise<undefined>((resolve) => (finishDiscovery = resolve))
    // The driver's start hangs on discovery until the test lets it go on.
    const services = await silentServices({ ...nothingFound, playwrightExecutable: () => discovering })
    const starting = services.warmUp()
    try {
      // Would never settle while the start hangs if it waited for the driver.
      await expect(services.releaseScenario('s/http-only')).resolves.toBeUndefined()
    } finally {
      finishDiscovery(undefined)
      await starting
      await services.close()
    }
  })

  it('without a browser prints one notice per run and completes with the HTTP driver', async () => {
    const notices: string[] = []
    const services = await createBrowserServices({
      target: miniTarget(server),
      driver: 'auto',
      http,
      notice: (message) => notices.push(message),
      artifactsDir,
      discovery: nothingFound,
    })
    try {
      for (const scenarioId of ['s/one', 's/two']) {
        const outcome = await authorize(services, scenarioId)
        expect(outcome).toMatchObject({ redirected: true, driver: 'http' })
        expect(JSON.stringify(outcome.exchanges)).not.toContain('alice-password')
        // The first scenario logs in (its password scrubbed); the second starts from its session.
        if (scenarioId === 's/one') {
          expect(outcome.sessionReused).toBe(false)
          expect(JSON.stringify(outcome.exchanges)).toContain('password=[redacted]')
        } else {
          expect(outcome.sessionReused).toBe(true)
          expect(outcome.exchanges.map((e) => e.request.method)).toEqual(['GET', 'GET'])
        }
      }
    } finally {
      await services.close()
    }
    expect(notices).toHaveLength(1)
    expect(notices[0]).toContain(
      'no Chrome/Chromium found (looked in DCR_BROWSER=/nonexistent/chromium-for-test',
    )
    expect(notices[0]).toContain(
      'using the HTTP-form login driver. Install Chromium (e.g. apt-get install chromium)',
    )
  })

  it('refuses --login-driver browser when no browser is found', async () => {
    const services = await createBrowserServices({
      target: miniTarget(server),
      driver: 'browser',
      http,
      notice: () => {},
      discovery: nothingFound,
    })
    const error = await authorize(services, 's/refused').then(
      () => undefined,
      (caught: unknown) => caught,
    )
    await services.close()
    expect(error).toBeInstanceOf(HarnessError)
    expect((error as HarnessError).code).toBe('E_BROWSER')
  })

  it('uses the HTTP driver for --login-driver http without looking for a browser, and no notice', async () => {
    const notices: string[] = []
    const services = await createBrowserServices({
      target: miniTarget(server),
      driver: 'http',
      http,
      notice: (message) => notices.push(message),
    })
    const outcome = await authorize(services, 's/http')
    await services.close()
    expect(outcome.driver).toBe('http')
    expect(notices).toEqual([])
  })
})
