/**
 * A tiny authorization endpoint with a login page, for the login-driver tests: real HTTP on
 * loopback, cookies, redirects, a consent page, an error page, fragment and form_post modes.
 * Styles: `reference` (labels Username/Password, button Login) and `oidc-provider` (fields
 * login/password without labels, button Sign-in, then a consent page with Continue).
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface MiniAuthServer {
  origin: string
  authorizationEndpoint: string
  tokenEndpoint: string
  /** Codes issued, by code value, with the request they answer. */
  codes: Map<string, URLSearchParams>
  /** Requests received (method and path), for assertions. */
  requests: string[]
  close(): Promise<void>
}

export interface MiniAuthOptions {
  style?: 'reference' | 'oidc-provider'
  /** Show a consent page after login (always for `oidc-provider`). */
  consent?: boolean
}

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

function html(
  response: ServerResponse,
  status: number,
  title: string,
  body: string,
  headers = {},
): void {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers })
  response.end(
    `<!doctype html><html><head><title>${title}</title></head><body>${body}</body></html>`,
  )
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}

export async function startMiniAuthServer(options: MiniAuthOptions = {}): Promise<MiniAuthServer> {
  const style = options.style ?? 'reference'
  const consent = options.consent ?? style === 'oidc-provider'
  const pending = new Map<string, URLSearchParams>()
  const sessions = new Set<string>()
  const codes = new Map<string, URLSearchParams>()
  const requests: string[] = []

  function loginPage(response: ServerResponse, interaction: string, message = ''): void {
    const notice = message ? `<p role="alert">${escape(message)}</p>` : ''
    const form =
      style === 'reference'
        ? `<form method="post" action="/login"><input type="hidden" name="interaction" value="${interaction}">
<label for="u">Username</label><input id="u" name="username" type="text">
<label for="p">Password</label><input id="p" name="password" type="password">
<button type="submit">Login</button></form>`
        : `<form autocomplete="off" action="/interaction/${interaction}/login" method="post">
<input required type="text" name="login" placeholder="Enter any login" autofocus="on">
<input required type="password" name="password" placeholder="and password">
<button type="submit" class="login login-submit">Sign-in</button></form>`
    html(response, 200, 'Sign in', `${notice}${form}`)
  }

  function complete(response: ServerResponse, params: URLSearchParams, extraHeaders = {}): void {
    const code = randomBytes(16).toString('base64url')
    codes.set(code, params)
    const result = new URLSearchParams({ code })
    const state = params.get('state')
    if (state !== null) result.set('state', state)
    const redirectUri = params.get('redirect_uri') ?? ''
    const mode = params.get('response_mode')
    if (mode === 'form_post') {
      const inputs = [...result].map(
        ([n, v]) => `<input type="hidden" name="${n}" value="${escape(v)}">`,
      )
      html(
        response,
        200,
        'Submit',
        `<form method="post" action="${escape(redirectUri)}">${inputs.join('')}
<noscript><button type="submit">Continue</button></noscript></form><script>document.forms[0].submit()</script>`,
        extraHeaders,
      )
      return
    }
    const target = new URL(redirectUri)
    if (mode === 'fragment') target.hash = result.toString()
    else for (const [n, v] of result) target.searchParams.set(n, v)
    response.writeHead(302, { location: target.href, ...extraHeaders }).end()
  }

  function sessionOf(request: IncomingMessage): string | undefined {
    const cookie = request.headers.cookie ?? ''
    const match = /(?:^|;\s*)sid=([^;]+)/.exec(cookie)
    return match?.[1] !== undefined && sessions.has(match[1]) ? match[1] : undefined
  }

  async function afterLogin(
    response: ServerResponse,
    interaction: string,
    headers: Record<string, string>,
  ) {
    if (consent) {
      response.writeHead(303, { location: `/consent/${interaction}`, ...headers }).end()
      return
    }
    complete(response, pending.get(interaction) ?? new URLSearchParams(), headers)
  }

  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1')
      requests.push(`${request.method} ${url.pathname}`)
      if (url.pathname === '/authorize') {
        const params = url.searchParams
        if (params.get('client_id') === 'unknown') {
          html(response, 400, 'Error', '<h1>invalid_client</h1><p>unknown client</p>')
          return
        }
        if (sessionOf(request)) return complete(response, params)
        if (params.get('prompt') === 'none') {
          const target = new URL(params.get('redirect_uri') ?? '')
          target.searchParams.set('error', 'login_required')
          if (params.get('state')) target.searchParams.set('state', params.get('state') ?? '')
          response.writeHead(302, { location: target.href }).end()
          return
        }
        const interaction = randomBytes(8).toString('hex')
        pending.set(interaction, params)
        // oidc-provider style: a redirect to an interaction URL with a path-scoped cookie.
        if (style === 'oidc-provider') {
          response
            .writeHead(303, {
              location: `/interaction/${interaction}`,
              'set-cookie': `_interaction=${interaction}; path=/interaction/${interaction}; httponly`,
            })
            .end()
          return
        }
        loginPage(response, interaction)
        return
      }
      const interactionPage = /^\/interaction\/(\w+)$/.exec(url.pathname)
      if (interactionPage && request.method === 'GET') {
        const cookie = request.headers.cookie ?? ''
        if (!cookie.includes(`_interaction=${interactionPage[1]}`)) {
          html(response, 400, 'Error', '<p>interaction cookie missing</p>')
          return
        }
        loginPage(response, interactionPage[1] ?? '')
        return
      }
      const loginPost =
        request.method === 'POST' &&
        (url.pathname === '/login' ? '' : /^\/interaction\/(\w+)\/login$/.exec(url.pathname)?.[1])
      if (loginPost !== undefined && loginPost !== false) {
        const form = await readForm(request)
        const interaction = loginPost || (form.get('interaction') ?? '')
        const username = form.get('username') ?? form.get('login')
        if (username !== 'alice' || form.get('password') !== 'alice-password') {
          loginPage(response, interaction, 'Invalid username or password')
          return
        }
        const sid = randomBytes(8).toString('hex')
        sessions.add(sid)
        await afterLogin(response, interaction, { 'set-cookie': `sid=${sid}; Path=/; HttpOnly` })
        return
      }
      const consentPage = /^\/consent\/(\w+)$/.exec(url.pathname)
      if (consentPage) {
        const interaction = consentPage[1] ?? ''
        if (request.method === 'GET') {
          html(
            response,
            200,
            'Consent',
            `<form method="post" action="/consent/${interaction}">
<input type="hidden" name="prompt" value="consent"><button type="submit" name="decision" value="deny">Cancel</button>
<button type="submit" name="decision" value="allow">Continue</button></form>`,
          )
          return
        }
        const form = await readForm(request)
        if (form.get('decision') !== 'allow') {
          html(response, 403, 'Denied', '<p>denied</p>')
          return
        }
        complete(response, pending.get(interaction) ?? new URLSearchParams())
        return
      }
      if (url.pathname === '/token' && request.method === 'POST') {
        const form = await readForm(request)
        const code = form.get('code') ?? ''
        const issued = codes.get(code)
        codes.delete(code)
        response.writeHead(issued ? 200 : 400, { 'content-type': 'application/json' })
        response.end(
          JSON.stringify(
            issued
              ? { access_token: `at-${code}`, token_type: 'Bearer', scope: issued.get('scope') }
              : { error: 'invalid_grant' },
          ),
        )
        return
      }
      html(response, 404, 'Not found', '<p>not found</p>')
    })().catch(() => response.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    authorizationEndpoint: `${origin}/authorize`,
    tokenEndpoint: `${origin}/token`,
    codes,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
