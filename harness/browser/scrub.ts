/**
 * Removing the login password from what a driver recorded. The reporters' redactor also hides
 * form members named like secrets; this covers recipes whose password field has another name.
 */
import type { Exchange } from '../types.ts'

const REDACTED = '[redacted]'

function scrubText(text: string, secrets: string[]): string {
  let result = text
  for (const secret of secrets) result = result.split(secret).join(REDACTED)
  return result
}

/** Every form the password can take in a request or response: raw, URL- and form-encoded. */
function secretForms(password: string): string[] {
  const forms = new Set([
    password,
    encodeURIComponent(password),
    new URLSearchParams({ p: password }).toString().slice(2),
  ])
  return [...forms].filter((form) => form.length > 0).sort((a, b) => b.length - a.length)
}

export function scrubExchanges(exchanges: Exchange[], password: string | undefined): Exchange[] {
  if (!password) return exchanges
  const secrets = secretForms(password)
  return exchanges.map((exchange) => ({
    ...exchange,
    request: {
      ...exchange.request,
      url: scrubText(exchange.request.url, secrets),
      body:
        exchange.request.body === undefined ? undefined : scrubText(exchange.request.body, secrets),
    },
    response: exchange.response && {
      ...exchange.response,
      body:
        exchange.response.body === undefined
          ? undefined
          : scrubText(exchange.response.body, secrets),
    },
  }))
}
