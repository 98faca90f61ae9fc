/**
 * A step the target's configuration cannot support (e.g. no `other_scope` for a token without
 * the registration scope). The runner reports the scenario as `skipped` with this reason: the
 * target was not tested on it, which is neither a failure of the target nor of the harness.
 */
import { HarnessError } from '../errors.ts'

export class NotApplicableError extends HarnessError {
  constructor(reason: string) {
    super('E_CONFIG', reason)
    this.name = 'NotApplicableError'
  }
}
