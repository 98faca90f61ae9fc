/**
 * Hints for failures whose cause is typical, worded once for the engine's errors and the
 * reporters (reporters/hints.ts): here the untrusted TLS certificate, which no `endpoints.*`
 * override can fix.
 */

/** An untrusted or unverifiable certificate, as harness/http/errors.ts and Chromium word it. */
const TLS_TROUBLE =
  /TLS failure|certificate|CERT_|SELF_SIGNED|UNABLE_TO_VERIFY|unable to get local issuer/i

export const TLS_HINT =
  "the target's certificate is not trusted: give its CA as tls: { ca: ./ca.pem } on the target " +
  'in targets.yaml (or NODE_EXTRA_CA_CERTS=./ca.pem); endpoints.* cannot fix a certificate'

/** Whether an error message says the target's certificate could not be verified. */
export function isTlsTrouble(message: string): boolean {
  return TLS_TROUBLE.test(message)
}
