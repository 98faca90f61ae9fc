/**
 * Turns undici and socket errors into the harness's error codes with a message a user can act on.
 */
import type { ErrorCode } from '../errors.ts'

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
])
const TIMEOUTS = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
])

/**
 * Node's TLS errors and OpenSSL's verification results (`UNABLE_TO_VERIFY_LEAF_SIGNATURE` for a
 * certificate signed by a CA the run does not trust, `SELF_SIGNED_CERT_IN_CHAIN`, ...).
 */
function isTlsCode(code: string): boolean {
  return (
    code.startsWith('ERR_TLS') ||
    code.startsWith('ERR_SSL') ||
    code.startsWith('UNABLE_TO_') ||
    code.startsWith('DEPTH_ZERO') ||
    code.includes('CERT')
  )
}

/** The innermost error code and a one-line description of a transport failure. */
export function describeTransportError(error: unknown): { code: ErrorCode; message: string } {
  const codes = errorChain(error)
    .map((e) => (e as { code?: unknown }).code)
    .filter((c): c is string => typeof c === 'string')
  const messages = errorChain(error)
    .map((e) => (e instanceof Error ? e.message : String(e)))
    .filter((m) => m.length > 0)
  const detail = [...new Set(messages)].join(': ') || 'transport error'
  if (codes.some((c) => UNREACHABLE.has(c))) {
    return { code: 'E_TARGET_UNREACHABLE', message: `target unreachable (${detail})` }
  }
  if (codes.some((c) => TIMEOUTS.has(c)))
    return { code: 'E_HTTP_TIMEOUT', message: `timed out (${detail})` }
  if (codes.includes('ECONNRESET') || codes.includes('UND_ERR_SOCKET')) {
    return { code: 'E_HTTP', message: `connection reset or closed by the target (${detail})` }
  }
  if (codes.some(isTlsCode)) {
    return { code: 'E_HTTP', message: `TLS failure (${detail})` }
  }
  return { code: 'E_HTTP', message: detail }
}

/** `error`, its causes and the errors of an AggregateError among them (at most 6). */
export function errorChain(error: unknown): unknown[] {
  const chain: unknown[] = []
  let current: unknown = error
  while (current !== undefined && current !== null && chain.length < 6) {
    chain.push(current)
    if (current instanceof AggregateError && current.errors.length > 0) {
      chain.push(...current.errors)
    }
    current = (current as { cause?: unknown }).cause
  }
  return chain
}
