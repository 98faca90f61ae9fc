/**
 * Lint of the scenario-level `login` key. A run logs in once and starts later scenarios from that
 * session (harness/browser/session-store.ts), so a scenario about the login itself must say
 * `login: fresh`, or the server would answer it without a login page. The signs: an authorize
 * step that does not log in (`login: false`), sends `prompt` or `max_age`, or checks the login
 * page (`when_present: page`). And `login: fresh` without any authorize step means nothing.
 */
import type { ScenarioDoc, StepDoc } from '../model/scenario.ts'
import { expectationsOf } from './lint-verdicts.ts'

type Path = (string | number)[]
type Report = (path: Path, reason: string, key?: boolean) => void

/** Why an authorize step tests the login itself (undefined when it does not). */
function loginSign(step: StepDoc): { path: Path; what: string } | undefined {
  const input = step.authorize
  if (!input) return undefined
  if (input.login === false) return { path: ['authorize', 'login'], what: 'login: false' }
  if (input.prompt !== undefined) return { path: ['authorize', 'prompt'], what: 'prompt' }
  for (const name of ['prompt', 'max_age'])
    if (input.params && Object.hasOwn(input.params, name))
      return { path: ['authorize', 'params', name], what: `params.${name}` }
  for (const { expectation, path } of expectationsOf(step)) {
    const present = expectation.when_present
    if (present === 'page' || present?.startsWith('page.'))
      return { path: [...path, 'when_present'], what: `when_present: ${present}` }
  }
  return undefined
}

export function lintLoginMode(doc: ScenarioDoc, error: Report): void {
  const lists = [
    ['steps', doc.steps],
    ['cleanup', doc.cleanup ?? []],
  ] as const
  const authorizes = lists.flatMap(([, list]) => list.filter((step) => step.authorize))
  if (doc.login === 'fresh' && authorizes.length === 0) {
    error(['login'], 'login: fresh has no effect: the scenario has no authorize step')
  }
  if (doc.login === 'fresh') return
  for (const [name, list] of lists) {
    list.forEach((step, index) => {
      const sign = loginSign(step)
      if (!sign) return
      error(
        [name, index, ...sign.path],
        `step '${step.id}' tests the login itself (${sign.what}): add 'login: fresh' to the ` +
          "scenario, or it would start from the run's stored login session and see no login page",
      )
    })
  }
}
