/**
 * A forward proxy for the run's requests, as curl and most CI runners name it: `HTTPS_PROXY` for
 * https targets (else `HTTP_PROXY`, as undici does), `HTTP_PROXY` for http ones (lower-case names
 * first), `NO_PROXY` for the hosts that bypass it. Loopback always bypasses it: the harness's own
 * callback server and a target on this machine are never reachable through a proxy. Requests to
 * an https target are tunnelled (CONNECT), so TLS is still checked end to end with the run's
 * trust.
 */
import { Agent, EnvHttpProxyAgent, type buildConnector, type Dispatcher } from 'undici'

export interface ProxySettings {
  /** Proxy URL for http:// targets. */
  http?: string
  /** Proxy URL for https:// targets. */
  https?: string
  /** Hosts (and `host:port`) that bypass the proxy, comma-separated; loopback included. */
  noProxy: string
}

/** Hosts that never go through a proxy (undici compares the URL's host, brackets kept). */
const LOOPBACK = ['localhost', '127.0.0.1', '[::1]']

/** The proxy the environment names, or undefined when it names none. */
export function proxyFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ProxySettings | undefined {
  const http = env['http_proxy'] || env['HTTP_PROXY'] || undefined
  const https = env['https_proxy'] || env['HTTPS_PROXY'] || undefined
  if (!http && !https) return undefined
  const listed = env['no_proxy'] ?? env['NO_PROXY'] ?? ''
  return {
    ...(http ? { http } : {}),
    ...(https ? { https } : {}),
    noProxy: [listed, ...LOOPBACK].filter((entry) => entry.trim() !== '').join(','),
  }
}

/**
 * The dispatcher of a run: a plain agent, or one that sends each request through the proxy for
 * its scheme unless its host bypasses it. `connect` (timeouts, trust) applies to the target's
 * connection either way.
 */
export function runDispatcher(
  options: Agent.Options & { connect: buildConnector.BuildOptions },
  proxy: ProxySettings | undefined,
): Dispatcher {
  if (!proxy) return new Agent(options)
  return new EnvHttpProxyAgent({
    ...options,
    requestTls: options.connect,
    // Given explicitly (an absent one would make undici read the environment again).
    httpProxy: proxy.http ?? '',
    httpsProxy: proxy.https ?? proxy.http ?? '',
    noProxy: proxy.noProxy,
  })
}

/** A proxy URL fit for a notice: without the user and password it may carry. */
export function shownProxy(url: string): string {
  try {
    const parsed = new URL(url)
    parsed.username = ''
    parsed.password = ''
    return parsed.href.replace(/\/$/, '')
  } catch {
    return '(an unparsable proxy URL)'
  }
}

/** Chromium's proxy, as Playwright takes it: one for every scheme (the https one when both are). */
export function browserProxy(
  proxy: ProxySettings | undefined,
): { server: string; bypass: string; username?: string; password?: string } | undefined {
  const url = proxy?.https ?? proxy?.http
  if (!proxy || !url) return undefined
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return { server: url, bypass: proxy.noProxy }
  }
  const user = decodeURIComponent(parsed.username)
  const password = decodeURIComponent(parsed.password)
  return {
    server: shownProxy(url),
    bypass: proxy.noProxy,
    ...(user ? { username: user } : {}),
    ...(password ? { password } : {}),
  }
}
