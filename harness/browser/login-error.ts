import { HarnessError } from '../errors.ts'
import type { Artifact, Exchange } from '../model/result.ts'

/**
 * The login could not be completed (a recipe step failed, the credentials were refused, or the
 * server never sent the browser anywhere). Carries what was captured so that the runner can
 * attach the screenshot, page HTML and exchanges to the errored step.
 */
export class LoginError extends HarnessError {
  readonly artifacts: Artifact[]
  readonly exchanges: Exchange[]
  constructor(
    message: string,
    captured: { artifacts?: Artifact[]; exchanges?: Exchange[]; cause?: unknown } = {},
  ) {
    super('E_LOGIN', message, { cause: captured.cause })
    this.name = 'LoginError'
    this.artifacts = captured.artifacts ?? []
    this.exchanges = captured.exchanges ?? []
  }
}
