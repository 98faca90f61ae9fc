/**
 * `http` action: one request as the scenario describes it; redirects are not followed.
 */
import { HarnessError } from '../errors.ts'
import type { HttpInput } from '../model/scenario.ts'
import type { Action, ActionContext } from './action.ts'
import { basicAuthorization } from '../http/client-auth.ts'
import { sendPrepared, type PreparedRequest } from './prepared.ts'

export const httpAction: Action<HttpInput> = {
  name: 'http',
  async execute(input, context) {
    return sendPrepared(prepareHttp(input, context), context)
  },
}

/** A form body where an array value becomes one parameter per entry, in order. */
function repeatedFormBody(form: Record<string, unknown>): string {
  const pairs: [string, string][] = []
  for (const [name, value] of Object.entries(form))
    for (const item of Array.isArray(value) ? value : [value]) pairs.push([name, String(item)])
  return new URLSearchParams(pairs).toString()
}

export function prepareHttp(input: HttpInput, _context: ActionContext): PreparedRequest {
  if (typeof input.url !== 'string' || input.url === '')
    throw new HarnessError('E_ACTION', 'http: `url` is required')
  let url: URL
  try {
    url = new URL(input.url)
  } catch {
    throw new HarnessError('E_ACTION', `http: invalid URL '${input.url}'`)
  }
  for (const [name, value] of Object.entries(input.query ?? {}))
    url.searchParams.append(name, String(value))
  const headers: Record<string, string> = {}
  let body: string | undefined
  const bodies = [
    input.json !== undefined,
    input.form !== undefined,
    input.body !== undefined,
  ].filter(Boolean)
  if (bodies.length > 1)
    throw new HarnessError('E_ACTION', 'http: give only one of `json`, `form`, `body`')
  if (input.json !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(input.json)
  } else if (input.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded'
    body = repeatedFormBody(input.form)
  } else if (input.body !== undefined) {
    body = String(input.body)
  }
  if (input.auth?.bearer !== undefined) headers['authorization'] = `Bearer ${input.auth.bearer}`
  if (input.auth?.basic)
    headers['authorization'] = basicAuthorization(input.auth.basic[0], input.auth.basic[1])
  for (const [name, value] of Object.entries(input.headers ?? {}))
    headers[name.toLowerCase()] = String(value)
  const method = (input.method ?? (body !== undefined ? 'POST' : 'GET')).toUpperCase()
  const requestUrl = url.toString()
  return {
    request: { method, url: requestUrl, headers, ...(body !== undefined ? { body } : {}) },
    exchanges: [],
    finish: (response) => ({
      status: response.status,
      headers: response.headers,
      body: response.body,
      url: requestUrl,
    }),
  }
}
