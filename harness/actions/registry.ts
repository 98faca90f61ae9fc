/**
 * Step actions by name. `authorize` (BRW) is imported lazily so the rest works without it and
 * Playwright is only loaded when a browser step runs.
 */
import { HarnessError } from '../errors.ts'
import type { ActionName } from '../types.ts'
import type { Action } from './action.ts'
import { httpAction } from './http.ts'
import { parallelAction } from './parallel.ts'
import { registerAction } from './register.ts'
import { tokenAction } from './token.ts'
import { useAction } from './use.ts'

// A variable specifier: authorize.ts belongs to BRW and pulls in the browser machinery.
const authorizeModule = './authorize.ts'

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
    const module = (await import(authorizeModule)) as { authorizeAction?: Action<unknown> }
    if (!module.authorizeAction) throw new HarnessError('E_INTERNAL', 'authorize.ts does not export authorizeAction')
    return module.authorizeAction
  }
  throw new HarnessError('E_ACTION', `unknown action '${String(name)}'`)
}
