/**
 * Where a cleartext probe of an https URL goes (RFC 7591 §3: registration only over TLS). Pure, so
 * the origin policy (run-suite.ts) and the probe (actions/fixtures/plain-http-probe.ts) agree.
 */

/**
 * The cleartext forms of `target`: the same listener (an https URL's port, 443 when it has none),
 * then port 80 when the https URL uses the default port. An http URL is itself.
 */
export function cleartextForms(target: URL): string[] {
  if (target.protocol !== 'https:') return [target.href]
  const sameListener = new URL(target)
  sameListener.protocol = 'http:'
  if (target.port !== '') return [sameListener.href]
  sameListener.port = '443'
  const defaultPort = new URL(target)
  defaultPort.protocol = 'http:'
  return [sameListener.href, defaultPort.href]
}
