/**
 * What the fuzzer's case scenarios share: the same services a `run` gives its scenarios (IAT by
 * the target's strategy, the cleanup ledger, redaction learning), built from the same parts.
 */
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { HttpClient } from '../http/types.ts'
import { SchemaRegistry } from '../checks/schemas.ts'
import type { Redactor } from '../redact.ts'
import { startBrowserServices } from '../runner/browser.ts'
import { createIatProvider } from '../runner/iat-provider.ts'
import type { RunLedger } from '../runner/ledger.ts'
import type { RunServices } from '../runner/run-services.ts'
import { DEFAULT_SCENARIO_TIMEOUT_MS } from '../runner/run-config.ts'
import type { ResolvedTarget } from '../model/target.ts'

export interface FuzzServicesOptions {
  target: ResolvedTarget
  http: HttpClient
  ledger: RunLedger
  redactor: Redactor
  seed: number
  notice(message: string): void
  signal?: AbortSignal
}

export interface FuzzServices {
  services: RunServices
  close(): Promise<void>
}

export async function createFuzzServices(options: FuzzServicesOptions): Promise<FuzzServices> {
  const { target, http, redactor } = options
  const runId = `dcrc-fuzz-${randomBytes(4).toString('hex')}`
  const artifactsDir = join('.dcr-conformance', 'artifacts', runId)
  // The loopback callback server and, for an authorization_code IAT, the login machinery.
  const browser = await startBrowserServices({
    target,
    driver: 'auto',
    http,
    notice: options.notice,
    artifactsDir,
  })
  const services: RunServices = {
    target,
    http,
    ledger: options.ledger,
    schemas: await SchemaRegistry.load(),
    learn: (secret) => redactor.learn(secret),
    learnFrom: (value) => redactor.learnFrom(value),
    notice: options.notice,
    iat: createIatProvider({
      target,
      http,
      browser,
      artifactsDir,
      learn: (secret) => redactor.learn(secret),
    }),
    browser: async () => browser,
    callbackUrlFor: (id) => browser.callbackUrlFor(id),
    runId,
    seed: options.seed,
    timeoutMs: DEFAULT_SCENARIO_TIMEOUT_MS,
    artifactsDir,
    ...(options.signal ? { signal: options.signal } : {}),
  }
  return { services, close: () => browser.close() }
}
