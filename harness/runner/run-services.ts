/** What every scenario of a run shares (run-context.ts builds it; scenario.ts and fuzz use it). */
import type { BrowserServices } from '../browser/types.ts'
import type { HttpClient } from '../http/types.ts'
import type { IatPurpose } from '../actions/iat-context.ts'
import type { IatResult } from '../config/iat.ts'
import type { SchemaRegistry } from '../checks/schemas.ts'
import type { ResolvedTarget } from '../model/target.ts'
import type { RunLedger } from './ledger.ts'

export interface RunServices {
  target: ResolvedTarget
  http: HttpClient
  ledger: RunLedger
  schemas: SchemaRegistry
  learn(secret: string): void
  /** Learn every secret a value holds, by the redactor's own rules (private JWK members, ...). */
  learnFrom(value: unknown): void
  notice(message: string): void
  iat(purpose: IatPurpose, signal?: AbortSignal): Promise<IatResult>
  browser(): Promise<BrowserServices>
  callbackUrlFor(scenarioId: string): string
  runId: string
  seed: number
  timeoutMs: number
  artifactsDir: string
  /** Aborted when the run is interrupted (SIGINT). */
  signal?: AbortSignal
}
