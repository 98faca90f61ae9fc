/**
 * The seed walk-through against the real reference server, by direct action calls: IAT by
 * client_credentials -> register (redirect_uris [callback], scope openid) -> authorize with login
 * -> token with the issued secret. Used by the authorize and verify-id-token tests.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { authorizeAction } from '../../../../harness/actions/authorize.ts'
import type { ActionContext } from '../../../../harness/actions/action.ts'
import { registerAction } from '../../../../harness/actions/register.ts'
import { tokenAction } from '../../../../harness/actions/token.ts'
import {
  createBrowserServices,
  type LoginDriverChoice,
  type RunBrowserServices,
} from '../../../../harness/browser/services.ts'
import { startReferenceTarget } from '../../../../builtin/reference-target.ts'
import { resolveTarget } from '../../../../harness/config/targets.ts'
import { createHttpClient, type ClosableHttpClient } from '../../../../harness/http/client.ts'
import type { AuthorizeInput, ClientCredentials } from '../../../../harness/model/scenario.ts'
import type { ResolvedTarget } from '../../../../harness/model/target.ts'
import type { StepData } from '../../../../harness/model/result.ts'

export interface ReferenceFlow {
  target: ResolvedTarget
  http: ClosableHttpClient
  services: RunBrowserServices
  notices: string[]
  artifactsDir: string
  context(scenarioId: string): ActionContext
  /** IAT, then a client registered with the scenario's callback URL and scope openid. */
  register(scenarioId: string, metadata?: Record<string, unknown>): Promise<ClientCredentials>
  authorize(scenarioId: string, input: AuthorizeInput): Promise<StepData>
  /** Redeem a code with the client's secret (client_secret_basic). */
  redeem(
    scenarioId: string,
    client: ClientCredentials,
    auth: StepData,
    verifier?: string,
  ): Promise<StepData>
  close(): Promise<void>
}

export async function startReferenceFlow(options: {
  driver: LoginDriverChoice
  faults?: string[]
}): Promise<ReferenceFlow> {
  const reference = await startReferenceTarget(options.faults ? { faults: options.faults } : {})
  const ca = await readFile(reference.target.tls?.ca ?? '', 'utf8')
  const http = createHttpClient({ tls: { ca } })
  const target = await resolveTarget(reference.target, http)
  const notices: string[] = []
  const artifactsDir = await mkdtemp(join(tmpdir(), 'brw-reference-'))
  const services = await createBrowserServices({
    target,
    driver: options.driver,
    http,
    notice: (message) => notices.push(message),
    artifactsDir,
  })

  const context = (scenarioId: string): ActionContext => ({
    target,
    http,
    ledger: { track: () => {}, forget: () => {} },
    initialAccessToken: async () => undefined,
    browser: async () => services,
    callbackUrl: services.callbackUrlFor(scenarioId),
    scenarioId,
    artifactsDir: join(artifactsDir, scenarioId),
    signal: new AbortController().signal,
    notice: (message) => notices.push(message),
  })

  return {
    target,
    http,
    services,
    notices,
    artifactsDir,
    context,
    async register(scenarioId, metadata) {
      const ctx = context(scenarioId)
      const iat = await tokenAction.execute({ purpose: 'initial-access-token' }, ctx)
      const registered = await registerAction.execute(
        {
          token: String(iat.data.access_token),
          metadata: { redirect_uris: [ctx.callbackUrl], scope: 'openid', ...metadata },
        },
        ctx,
      )
      if (registered.data.status !== 201) {
        throw new Error(
          `registration answered ${registered.data.status}: ${JSON.stringify(registered.data.body)}`,
        )
      }
      return registered.data.body as ClientCredentials
    },
    async authorize(scenarioId, input) {
      return (await authorizeAction.execute(input, context(scenarioId))).data
    },
    async redeem(scenarioId, client, auth, verifier) {
      const result = await tokenAction.execute(
        {
          client,
          grant_type: 'authorization_code',
          code: (auth.query as Record<string, string>).code,
          code_verifier: verifier ?? String(auth.code_verifier),
          redirect_uri: String(auth.redirect_uri),
        },
        context(scenarioId),
      )
      return result.data
    },
    async close() {
      await services.close()
      await http.close()
      await reference.close()
      await rm(artifactsDir, { recursive: true, force: true })
    },
  }
}
