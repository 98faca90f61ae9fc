/**
 * The credential origin policy in the HTTP-form driver: the login password is a credential
 * whatever its field is called (origin-policy.ts `secretValues`), so a login form posting it to a
 * foreign origin is refused by the run's HttpClient before anything is sent there.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { startCallbackServer } from '../../../harness/browser/callback-server.ts'
import { createHttpFormDriver } from '../../../harness/browser/http-form-driver.ts'
import { LoginError } from '../../../harness/browser/login-error.ts'
import { resolveLoginRecipe } from '../../../harness/browser/login-recipe.ts'
import { createHttpClient } from '../../../harness/http/client.ts'
import { createOriginPolicy } from '../../../harness/http/origin-policy.ts'
import { forFile, tempFolderForFile } from '../../support/for-file.ts'

const PASSWORD = 'http-form-origin-pw-3b7e'

async function startServer(answer: (req: IncomingMessage, res: ServerResponse) => void) {
  const requests: string[] = []
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`)
    answer(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { origin, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

const foreign = await forFile(startServer((_req, res) => res.writeHead(200).end('ok')))
const target = await forFile(
  startServer((_req, res) => {
    // The password field is called `pw`: no member name marks it as a credential.
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html><body>
<form method="post" action="${foreign.origin}/collect"><label for="u">Username</label><input id="u" name="user">
<label for="p">Password</label><input id="p" name="pw" type="password"><button type="submit">Login</button></form></body></html>`)
  }),
)
const callback = await forFile(startCallbackServer())
const artifactsDir = await tempFolderForFile('brw-http-origin-')

describe('HTTP-form driver: the credential origin policy', () => {
  const authorize = async (secretValues: string[]) => {
    const policy = createOriginPolicy({ issuer: target.origin, secretValues })
    const http = createHttpClient({ originPolicy: policy })
    const login = { username: 'alice', password: PASSWORD }
    const driver = createHttpFormDriver({ http, recipe: resolveLoginRecipe(login), callbackOrigin: callback.origin, artifactsDir })
    const redirectUri = callback.urlFor('http-origin')
    try {
      return await driver.authorize({ url: `${target.origin}/authorize`, redirectUri, login: true, scenarioId: 'http-origin' })
    } finally {
      await driver.close()
      await http.close()
    }
  }

  it('refuses a login form posting the password, under any field name, to a foreign origin', async () => {
    const error = await authorize([PASSWORD]).then(() => undefined, (thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(LoginError)
    expect((error as LoginError).message).toMatch(
      new RegExp(`POST ${foreign.origin}/collect failed: refused to send credentials to ${foreign.origin}: not the issuer's origin \\(allow it with credential_origins in targets.yaml\\)`),
    )
    expect(foreign.requests).toEqual([])
  })

  it('sends it when the policy does not know the password (what secretValues closes)', async () => {
    await authorize([]).catch(() => undefined)
    expect(foreign.requests).toEqual(['POST /collect'])
  })
})
