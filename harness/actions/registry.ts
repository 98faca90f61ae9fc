/**
 * Step actions by name. `authorize` (it drives the login machinery of harness/browser/) is imported lazily so the rest works without it and
 * Playwright is only loaded when a browser step runs.
 */
import { HarnessError } from '../errors.ts'
import type { ActionName } from '../model/scenario.ts'
import type { Action } from './action.ts'
import { httpAction } from './http.ts'
import { parallelAction } from './parallel.ts'
import { registerAction } from './register.ts'
import { tokenAction } from './token.ts'
import { useAction } from './use.ts'

const builtIn: Partial<Record<ActionName, Action<never>>> = {
  token: tokenAction as Action<never>,
  register: registerAction as Action<never>,
  http: httpAction as Action<never>,
  parallel: parallelAction as Action<never>,
  use: useAction as Action<never>,
}

/** The action implementing `name`. */
export async function actionFor(name: ActionName): Promise<Action<unknown>> {
  const found = builtIn[name]
  if (found) return found as Action<unknown>
  if (name === 'authorize') {
    // Loaded on first use: it brings the browser machinery along.
    const { authorizeAction } = await import('./authorize.ts')
    return authorizeAction as Action<unknown>
  }
  throw new HarnessError('E_ACTION', `unknown action '${String(name)}'`)
}
