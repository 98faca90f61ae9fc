/**
 * The runner's action context carries an IAT provider that records exchanges and learns the
 * token as a secret; outside the runner (unit tests) the strategy is run directly.
 */
import type { ActionContext } from './action.ts'
import { obtainIat, type IatResult } from '../config/iat.ts'

export type IatPurpose = 'initial-access-token' | 'token-without-registration-scope'

/** The runner's extension of ActionContext. */
export interface EngineActionContext extends ActionContext {
  iat(purpose: IatPurpose, signal?: AbortSignal): Promise<IatResult>
}

export function iatFor(context: ActionContext, purpose: IatPurpose): Promise<IatResult> {
  const engine = context as Partial<EngineActionContext>
  if (typeof engine.iat === 'function') return engine.iat(purpose, context.signal)
  return obtainIat(context.target, { http: context.http, signal: context.signal }, purpose)
}
