/**
 * `parallel` action: N copies of one request, all built first (IATs obtained, assertions signed),
 * then released in the same tick so they reach the server together; every result is recorded.
 */
import { HarnessError } from '../errors.ts'
import type { ParallelInput } from '../model/scenario.ts'
import type { Exchange, StepData } from '../model/result.ts'
import type { Action, ActionContext } from './action.ts'
import { exchangeOf } from '../http/client.ts'
import { prepareHttp } from './http.ts'
import { prepareRegister } from './register.ts'
import { prepareToken } from './token.ts'
import { withExchanges, type PreparedRequest } from './prepared.ts'

export const MAX_PARALLEL_COUNT = 100

export const parallelAction: Action<ParallelInput> = {
  name: 'parallel',
  async execute(input, context) {
    const count = input.count
    if (!Number.isInteger(count) || count < 1 || count > MAX_PARALLEL_COUNT) {
      throw new HarnessError(
        'E_ACTION',
        `parallel: count must be an integer from 1 to ${MAX_PARALLEL_COUNT}`,
      )
    }
    const prepare = preparer(input, context)
    const prepared: PreparedRequest[] = []
    for (let index = 0; index < count; index++) prepared.push(await prepare())
    const exchanges: Exchange[] = prepared.flatMap((p) => p.exchanges)
    // Release: every request starts before any is awaited.
    const inFlight = prepared.map((p) => context.http.send(p.request, context.signal))
    const settled = await Promise.allSettled(inFlight)
    const results: StepData[] = []
    const failures: string[] = []
    settled.forEach((outcome, index) => {
      if (outcome.status === 'fulfilled') {
        exchanges.push(outcome.value.exchange)
        results.push(prepared[index]!.finish(outcome.value.response, context))
      } else {
        const exchange = exchangeOf(outcome.reason)
        if (exchange) exchanges.push(exchange)
        const message =
          outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason)
        failures.push(`copy ${index + 1}: ${message}`)
        results.push({ error: message })
      }
    })
    if (failures.length > 0) {
      throw withExchanges(new HarnessError('E_HTTP', `parallel: ${failures.join('; ')}`), exchanges)
    }
    return { data: { results, statuses: results.map((r) => r.status) }, exchanges }
  },
}

function preparer(input: ParallelInput, context: ActionContext): () => Promise<PreparedRequest> {
  const kinds = [input.register, input.http, input.token].filter((k) => k !== undefined)
  if (kinds.length !== 1)
    throw new HarnessError('E_ACTION', 'parallel: give exactly one of register, http, token')
  if (input.register) return () => prepareRegister(input.register!, context)
  if (input.http) return async () => prepareHttp(input.http!, context)
  if (input.token?.purpose)
    throw new HarnessError('E_ACTION', 'parallel: token with `purpose` is not supported')
  return () => prepareToken(input.token!, context)
}
