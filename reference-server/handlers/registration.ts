/**
 * POST /oauth/v2/oauth-dynamic-client-registration: dynamic client registration.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3
 * @see https://openid.net/specs/openid-connect-registration-1_0.html#ClientRegistration
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ServerContext } from '../context.ts'
import { readBody } from '../http/body.ts'
import { noStore, sendJson } from '../http/respond.ts'
import { createClient } from '../registration/create-client.ts'
import { sendRegistrationError } from '../registration/errors.ts'
import { checkInitialAccessToken } from '../registration/iat.ts'
import { MetadataError } from '../registration/metadata-error.ts'
import { prepareRegistration } from '../registration/prepare.ts'
import { parseMetadataBody } from '../registration/request-body.ts'
import { clientInformation } from '../registration/response.ts'

export async function registrationHandler(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const body = await readBody(req, ctx.config.limits.bodyBytes)
  const access = await checkInitialAccessToken(ctx, req, url.searchParams)
  const consumeFirst =
    ctx.config.registration.consumeIatOnFailure && !ctx.faults.has('consume-iat-on-failure-off')
  if (consumeFirst) await access.consume()
  try {
    const request = parseMetadataBody(ctx, req, body)
    const { metadata, echoOverrides } = await prepareRegistration(ctx, request)
    if (!consumeFirst) await access.consume()
    const { client, rat } = await createClient(ctx, metadata, request)
    const status = ctx.faults.has('registration-200') ? 200 : 201
    const headers = ctx.faults.has('no-no-store') ? {} : { ...noStore }
    sendJson(res, status, clientInformation(ctx, client, rat, echoOverrides), headers)
  } catch (error) {
    if (error instanceof MetadataError) return sendRegistrationError(ctx, res, error)
    throw error
  }
}
