/**
 * `register` action: POST client metadata as JSON to the registration endpoint; the created
 * client goes into the cleanup ledger.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.1
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1
 */
import { HarnessError } from '../errors.ts'
import type { RegisterInput } from '../model/scenario.ts'
import type { Exchange } from '../model/result.ts'
import type { Action, ActionContext } from './action.ts'
import { iatFor } from './iat-context.ts'
import { requireJsonSuccess, responseData, sendPrepared, type PreparedRequest } from './prepared.ts'
import { ledgerEntryFrom } from './ledger-entry.ts'

export const registerAction: Action<RegisterInput> = {
  name: 'register',
  async execute(input, context) {
    return sendPrepared(await prepareRegister(input, context), context)
  },
}

/** Builds the registration request (obtaining a fresh IAT for `token: auto`). */
export async function prepareRegister(
  input: RegisterInput,
  context: ActionContext,
): Promise<PreparedRequest> {
  const url = input.url ?? context.target.endpoints['registration_endpoint']
  if (!url) {
    throw new HarnessError(
      'E_ACTION',
      `target '${context.target.name}' has no registration_endpoint`,
    )
  }
  const exchanges: Exchange[] = []
  const token = await bearerToken(input.token, context, exchanges)
  const headers: Record<string, string> = {
    'content-type': input.content_type ?? 'application/json',
    accept: 'application/json',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  }
  for (const [name, value] of Object.entries(input.headers ?? {}))
    headers[name.toLowerCase()] = String(value)
  const body =
    input.raw_body !== undefined ? String(input.raw_body) : JSON.stringify(input.metadata ?? {})
  const runCredentials = usesRunCredentials(input) ? { runCredentials: true as const } : {}
  return {
    request: { method: 'POST', url, headers, body, ...runCredentials },
    exchanges,
    finish(response, ctx) {
      requireJsonSuccess(response, `registration endpoint ${url}`)
      const data = responseData(response)
      const entry = ledgerEntryFrom(response.body)
      if (entry && input.track !== false) ctx.ledger.track(entry)
      return data
    },
  }
}

/** Whether the request carries the run's credentials: no token and no Authorization of its own. */
function usesRunCredentials(input: RegisterInput): boolean {
  if (input.token !== undefined && input.token !== 'auto') return false
  return !Object.keys(input.headers ?? {}).some((name) => name.toLowerCase() === 'authorization')
}

async function bearerToken(
  token: string | undefined,
  context: ActionContext,
  exchanges: Exchange[],
): Promise<string | undefined> {
  if (token === 'none') return undefined
  if (token !== undefined && token !== 'auto') return token
  const iat = await iatFor(context, 'initial-access-token')
  exchanges.push(...iat.exchanges)
  return iat.token
}
