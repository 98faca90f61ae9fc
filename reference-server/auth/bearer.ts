/**
 * Bearer tokens on protected endpoints: only the Authorization header is accepted; the RFC 6750
 * challenge says why a request was refused.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
import type { IncomingMessage } from 'node:http'
import { OAuthHttpError } from '../http/errors.ts'
import { safeDescription } from '../http/respond.ts'
import type { FaultSet } from '../faults.ts'

export type BearerProblem = 'missing' | 'invalid_token' | 'insufficient_scope'

/** The error for a refused bearer token, with its `WWW-Authenticate` challenge. */
export function bearerError(
  problem: BearerProblem,
  description: string,
  scope?: string,
): OAuthHttpError {
  if (problem === 'missing') {
    return new OAuthHttpError(401, 'invalid_token', description, {
      'www-authenticate': 'Bearer realm="oauth"',
    })
  }
  const status = problem === 'insufficient_scope' ? 403 : 401
  const scopeHint = scope ? `, scope="${scope}"` : ''
  return new OAuthHttpError(status, problem, description, {
    'www-authenticate': `Bearer realm="oauth", error="${problem}", error_description="${safeDescription(description)}"${scopeHint}`,
  })
}

/**
 * The error for a request that sent no token. Under the `missing-token-error-code` fault its
 * challenge names an error although no token came (RFC 6750 §3.1 says it should not).
 */
export function missingTokenError(faults: FaultSet, description: string): OAuthHttpError {
  const problem = faults.has('missing-token-error-code') ? 'invalid_token' : 'missing'
  return bearerError(problem, description)
}

/** `error` with its `WWW-Authenticate` challenge dropped when `fault` is on. */
export function challengeDroppedUnder(
  faults: FaultSet,
  fault: string,
  error: OAuthHttpError,
): OAuthHttpError {
  if (faults.has(fault)) delete error.headers['www-authenticate']
  return error
}

/**
 * The bearer token of the Authorization header. A token in the query or form body is refused
 * with 400 `invalid_request` (never accepted) unless `allowQuery`.
 */
export function bearerToken(
  req: IncomingMessage,
  query: URLSearchParams,
  allowQuery = false,
): string | undefined {
  const header = req.headers.authorization
  const inQuery = query.has('access_token')
  if (inQuery && !allowQuery) {
    throw new OAuthHttpError(
      400,
      'invalid_request',
      'access tokens are accepted only in the Authorization header',
      {
        'www-authenticate': 'Bearer realm="oauth", error="invalid_request"',
      },
    )
  }
  if (typeof header === 'string') {
    const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header)
    if (match) return match[1]
    if (/^bearer/i.test(header)) {
      throw bearerError('invalid_token', 'malformed bearer token')
    }
  }
  if (inQuery && allowQuery) return query.get('access_token') ?? undefined
  return undefined
}
