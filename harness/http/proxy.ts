/**
 * A forward proxy for the run's requests, named by the process environment as most tools read it:
 * `HTTPS_PROXY` for https targets (else `HTTP_PROXY`, as undici does), `HTTP_PROXY` for http ones
 * (lower-case names first), `NO_PROXY` for the hosts that bypass it (`*`: all of them). The HTTP
 * client and Chromium take the same one. Loopback always bypasses it: the harness's own callback
 * server and a target on this machine are never reachable through a proxy. Requests to an https
 * target are tunnelled (CONNECT), so TLS is still checked end to end with the run's trust; an
 * http target's requests are sent to the proxy as they are (absolute URI), as proxies expect.
 */
import { Agent, EnvHttpProxyAgent, type buildConnector, type Dispatcher } from 'undici'
import { UsageError } from '../errors.ts'

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
const SCHEMES = new Set(['http:', 'https:', 'socks:', 'socks5:'])

/** The proxy the environment names, or undefined when it names none (or `NO_PROXY=*`). */
export function proxyFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ProxySettings | undefined {
  const http = proxyUrl(env, 'http_proxy', 'HTTP_PROXY')
  const https = proxyUrl(env, 'https_proxy', 'HTTPS_PROXY')
  const listed = (env['no_proxy'] ?? env['NO_PROXY'] ?? '').trim()
  if ((!http && !https) || listed === '*') return undefined
  return {
    ...(http ? { http } : {}),
    ...(https ? { https } : {}),
    noProxy: [listed, ...LOOPBACK].filter((entry) => entry !== '').join(','),
  }
}

/** One variable's proxy URL; `host:port` alone means http, as curl reads it. */
function proxyUrl(env: Readonly<Record<string, string | undefined>>, ...names: string[]) {
  const name = names.find((candidate) => env[candidate])
  const value = name ? env[name]!.trim() : ''
  if (!name || value === '') return undefined
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`
  // The value is not repeated: it may hold the proxy's password.
  if (!URL.canParse(url) || !SCHEMES.has(new URL(url).protocol)) {
    throw new UsageError(`${name} is not a proxy URL (http://, https:// or socks5://host:port)`)
  }
  return url
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
    proxyTunnel: false,
    // Given explicitly (an absent one would make undici read the environment again).
    httpProxy: proxy.http ?? '',
    httpsProxy: proxy.https ?? proxy.http ?? '',
    noProxy: proxy.noProxy,
  })
}

/** The proxy a request to `url` goes through, by undici's rule; undefined when it bypasses. */
export function proxyFor(proxy: ProxySettings | undefined, url: URL): string | undefined {
  const through = url.protocol === 'https:' ? (proxy?.https ?? proxy?.http) : proxy?.http
  if (!proxy || !through) return undefined
  const host = url.host.replace(/:\d*$/, '').toLowerCase()
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80)
  const bypassed = proxy.noProxy.split(/[,\s]/).some((entry) => {
    if (!entry) return false
    const [, name = entry, entryPort] = /^(.+):(\d+)$/.exec(entry) ?? []
    const domain = name.replace(/^\*?\./, '').toLowerCase()
    if (entryPort && Number(entryPort) !== port) return false
    return host === domain || host.endsWith(`.${domain}`)
  })
  return bypassed ? undefined : through
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

/**
 * Chromium's proxy, as Playwright takes it: one for every scheme (the https one when both are),
 * and the bypass list as undici reads it (a host and its subdomains).
 */
export function browserProxy(
  proxy: ProxySettings | undefined,
): { server: string; bypass: string; username?: string; password?: string } | undefined {
  const url = proxy?.https ?? proxy?.http
  if (!proxy || !url) return undefined
  const parsed = new URL(url)
  const user = decodeURIComponent(parsed.username)
  const password = decodeURIComponent(parsed.password)
  const bypass = proxy.noProxy
    .split(/[,\s]/)
    .filter((entry) => entry !== '')
    .flatMap((entry) => {
      const bare = entry.replace(/^\*?\./, '')
      return bare.startsWith('[') || /^[\d.]+(:\d+)?$/.test(bare) ? [bare] : [bare, `.${bare}`]
    })
  return {
    server: shownProxy(url),
    bypass: bypass.join(','),
    ...(user ? { username: user } : {}),
    ...(password ? { password } : {}),
  }
}
