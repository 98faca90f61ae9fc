/**
 * Removing the login password from what a driver recorded. The reporters' redactor also hides
 * form members named like secrets; this covers recipes whose password field has another name.
 */
import { formsOf } from '../redact-learned.ts'
import type { Exchange } from '../model/result.ts'

const REDACTED = '[redacted]'

function scrubText(text: string, secrets: string[]): string {
  let result = text
  for (const secret of secrets) result = result.split(secret).join(REDACTED)
  return result
}

/**
 * Every form a secret can take in what the browser recorded (redact-learned.ts `formsOf`: raw,
 * URL/form encoded, JSON- and HTML-escaped), longest first so that no form leaves part of another.
 */
export function secretForms(secret: string): string[] {
  const forms = new Set(formsOf(secret))
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
