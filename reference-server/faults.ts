/**
 * The fault catalogue: each fault breaks exactly one rule the way real servers
 * do. Handlers test `faults.has('name')` at the exact place the
 * rule is enforced.
 */
import type { Fault } from './api.ts'

function fault(name: string, description: string, requirements: string[]): Fault {
  return { name, description, requirements }
}

/** A fault only some inputs trigger: the metadata fuzzer proves it (api.ts, `proof`). */
function fuzzFault(name: string, description: string, requirements: string[]): Fault {
  return { name, description, requirements, proof: 'fuzz' }
}

export const faultCatalogue: Fault[] = [
  // Discovery and keys
  fault(
    'discovery-issuer-mismatch',
    'Metadata `issuer` carries a trailing slash, so it differs from the issuer the URL was built from',
    ['R8414-3.3-a'],
  ),
  fault(
    'discovery-no-registration-endpoint',
    'Metadata omits `registration_endpoint` although registration works',
    ['OIDCD-3-a'],
  ),
  fault(
    'metadata-response-types-missing',
    'The metadata (both well-known URLs) lacks `response_types_supported`',
    ['R8414-2-c', 'OIDCD-3-b'],
  ),
  fault(
    'rfc8414-missing',
    'Only the OpenID well-known URL answers; the RFC 8414 path-insertion URL is 404',
    ['R8414-3-a'],
  ),
  fault(
    'jwks-use-missing',
    'The JWKS publishes an encryption key beside signing keys that state no `use`',
    ['OIDCD-3-c'],
  ),
  fault('jwks-private-key-leak', 'The JWKS publishes private key members (`d`, `p`, `q`, ...)', [
    'OIDCD-3-c',
  ]),
  fault('no-code-challenge-methods', 'Metadata omits `code_challenge_methods_supported`', [
    'R9700-2.1.1-a',
  ]),
  // Initial access token
  fault(
    'iat-reusable',
    'The initial access token is never consumed: it registers any number of clients',
    ['CUR-IAT-3', 'R6750-3.1-a'],
  ),
  fault(
    'iat-race',
    'The IAT is checked, then the handler yields, then consumes it: concurrent registrations with one IAT all succeed',
    ['CUR-IAT-3', 'R6750-3.1-a'],
  ),
  fault(
    'iat-never-accepted',
    'Every initial access token is refused as unknown (401 `invalid_token`), fresh ones too',
    ['CUR-IAT-1'],
  ),
  fault(
    'iat-scope-ignored',
    'Any access token of the registration client registers, even without the `dcr` scope',
    ['R6750-3.1-b', 'CUR-IAT-2'],
  ),
  fault(
    'insufficient-scope-no-challenge',
    'A token without the `dcr` scope gets 403 `insufficient_scope` with no `WWW-Authenticate` header',
    ['R6750-3-b'],
  ),
  fault(
    'missing-token-error-code',
    'A request without any token (registration, configuration endpoint) gets a challenge naming error="invalid_token"',
    ['R6750-3-a', 'R7592-2.1-c'],
  ),
  fault(
    'iat-missing-no-challenge',
    'A registration without a token gets 401 without `WWW-Authenticate`',
    ['R6750-3-a'],
  ),
  fault(
    'iat-invalid-wrong-error',
    'An unknown, expired or used IAT gets 400 `invalid_client_metadata` instead of 401 `invalid_token`',
    ['R6750-3.1-a'],
  ),
  fault(
    'iat-in-query-accepted',
    'The IAT is also accepted as `access_token` query parameter, even together with the header',
    ['R6750-2-a'],
  ),
  fault(
    'consume-iat-on-failure-off',
    'A registration that fails validation does not consume the IAT',
    ['CUR-IAT-3', 'R6750-3.1-a'],
  ),
  // Request handling
  fault('crash-on-bad-json', 'Invalid JSON gets 500 with an HTML body', ['R7591-3.1-b']),
  fault(
    '5xx-on-wrong-types',
    'A wrongly typed member (e.g. `redirect_uris` as a string) gets a 500',
    ['R7591-3.2.2-a'],
  ),
  fault(
    'content-type-ignored',
    'Any Content-Type is parsed as JSON (a form-encoded body is not refused)',
    ['R7591-3.1-b'],
  ),
  fault(
    'unknown-member-rejected',
    'Unknown metadata members are rejected with 400 instead of ignored',
    ['R7591-2-l'],
  ),
  fault(
    'language-tags-rejected',
    'Language-tagged members (`client_name#ja`) are rejected with 400',
    ['R7591-2.2-a'],
  ),
  // Registration response
  fault('registration-200', 'Successful registration answers 200 instead of 201', [
    'R7591-3.2.1-a',
  ]),
  fault('no-secret-expiry', '`client_secret_expires_at` is omitted although a secret is issued', [
    'R7591-3.2.1-d',
  ]),
  fault(
    'secret-expiry-ms',
    '`client_secret_expires_at` / `client_id_issued_at` are in milliseconds',
    ['R7591-3.2.1-d'],
  ),
  fault('secret-expiry-string', '`client_secret_expires_at` is a string ("0")', ['R7591-3.2.1-d']),
  fault(
    'no-echo',
    'The response carries only client_id and client_secret, not the registered metadata',
    ['R7591-3.2.1-f', 'CUR-DEF-3'],
  ),
  fault('no-no-store', 'Registration responses lack `Cache-Control: no-store`', ['R7591-3.2.1-h']),
  fault('secret-shared', 'Every client gets the same client_secret', ['R7591-3.2.1-e']),
  fault('client-id-chosen', 'A `client_id` in the request is adopted', ['R9700-4.15-a']),
  fault(
    'server-members-adopted',
    '`client_secret` and `client_secret_expires_at` in the request are adopted',
    ['R7591-3.1-c', 'CUR-DEF-2'],
  ),
  fault('rat-missing', 'No registration_access_token / registration_client_uri in the response', [
    'OIDCR-3.2-b',
    'CUR-MGMT-1',
  ]),
  fault('rcu-wrong-client', '`registration_client_uri` does not end in the client_id', [
    'OIDCR-4.1-a',
    'CUR-MGMT-1',
  ]),
  fault(
    'relative-registration-client-uri',
    '`registration_client_uri` is a path without scheme and host (the endpoint still answers at the resolved URL)',
    ['OIDCR-4.1-a'],
  ),
  fault(
    'client-id-from-clock',
    'The client_id is the registration time in seconds: a second client registered in the same second gets the same id and overwrites the first',
    ['R7591-3.2.1-c'],
  ),
  fault(
    'redirect-uris-dropped',
    'Requested redirect URIs pass validation, then the code-flow client is registered and echoed with `redirect_uris: []`',
    ['R7591-5-b'],
  ),
  fault(
    'redirect-rewritten',
    'Redirect URIs are normalised (trailing slash added, query dropped) before they are stored',
    ['R7591-2-a', 'OIDCR-3.2-a'],
  ),
  fault(
    'default-auth-method-post',
    'An omitted token_endpoint_auth_method defaults to client_secret_post',
    ['R7591-2-b', 'CUR-DEF-1'],
  ),
  fault(
    'auth-method-unstated-post',
    'An omitted token_endpoint_auth_method registers client_secret_post, and the response leaves the member out (so it states client_secret_basic)',
    ['R7591-3.2.1-f', 'R7591-2-b'],
  ),
  fault('refresh-ttl-ignored', '`refresh_token_ttl: 0` still registers the refresh_token grant', [
    'CUR-DEF-4',
  ]),
  fault(
    'access-token-ttl-ignored',
    'A registered `access_token_ttl` does not change `expires_in`',
    ['CUR-DEF-5'],
  ),
  fault('no-default-acr', '`default_acr_values` is not filled with the allowed authenticators', [
    'CUR-DEF-3',
  ]),
  // Metadata validation
  fault('fragment-redirect-accepted', 'Redirect URIs with a fragment are accepted', [
    'R6749-3.1.2-a',
  ]),
  fault('relative-redirect-accepted', 'Relative redirect URIs (`/cb`) are accepted', [
    'R6749-3.1.2-a',
  ]),
  fault('redirect-javascript-accepted', '`javascript:` and `data:` redirect URIs are accepted', [
    'R6749-3.1.2-b',
  ]),
  fault('redirect-http-accepted', 'Non-loopback http redirect URIs are accepted for web clients', [
    'R9700-2.6-a',
  ]),
  fault(
    'redirect-uris-first-only',
    'Only the first redirect URI of a registration is validated; the others are stored unchecked',
    ['OIDCR-2-d'],
  ),
  fault(
    'native-redirect-unchecked',
    'Native clients may register any redirect URI (http on a public host)',
    ['OIDCR-2-c'],
  ),
  fault(
    'redirect-uris-not-required',
    'An authorization_code client registers without redirect_uris',
    ['R7591-5-b'],
  ),
  fault(
    'grant-response-mismatch-accepted',
    'Inconsistent grant_types / response_types pairs are registered',
    ['R7591-2.1-a', 'OIDCR-2-e'],
  ),
  fault(
    'unknown-auth-method-accepted',
    'An unknown token_endpoint_auth_method is stored and echoed',
    ['R7591-2-e'],
  ),
  fault('password-grant-accepted', 'The password grant can be registered', [
    'R9700-2.4-a',
    'CUR-CAP-1',
  ]),
  fault('jwks-and-jwks-uri-accepted', '`jwks` and `jwks_uri` are accepted together', ['R7591-2-g']),
  fault('jwks-private-accepted', 'Client JWK sets with private or symmetric keys are accepted', [
    'OIDCR-2-k',
    'R7591-2-h',
  ]),
  fault(
    'jwks-malformed-accepted',
    'A jwks that is no JWK Set (its `keys` is not an array) is accepted and stored',
    ['R7591-2-h'],
  ),
  fault('secret-for-none', 'A `none` client gets a client_secret', ['R7591-2-d']),
  fault(
    'secret-for-private-key-jwt',
    'A `private_key_jwt` client gets a client_secret it never uses',
    ['R7591-2-b'],
  ),
  fault(
    'none-ignored',
    '`none` is echoed but the client is treated as confidential at the token endpoint',
    ['R7591-3.2.1-g', 'R7591-2-d'],
  ),
  fault(
    'none-with-client-credentials',
    'A `none` client may register the client_credentials grant',
    ['R6749-4.4-a'],
  ),
  fault(
    'unknown-scope-granted',
    'Scopes the server does not define are left out of the registered scope shown, yet stored and granted in tokens',
    ['R7591-2-j'],
  ),
  fault(
    'scope-array-echoed',
    'A scope sent as an array is registered (as its space-joined string) and echoed as the array',
    ['R7591-2-i'],
  ),
  fault(
    'scope-widened',
    'A registration that asks for a scope gets an allowed scope it did not ask for added',
    ['R7591-2-j'],
  ),
  fault(
    'default-scope-unusable',
    'A registration without scope is shown a default that also names the privileged scope, which the client is never granted',
    ['R7591-2-j'],
  ),
  fault('privileged-scope-accepted', 'The privileged `admin` scope can be registered', [
    'CUR-CAP-2',
    'R7591-2-j',
  ]),
  fault(
    'client-uri-javascript-accepted',
    '`javascript:` / `data:` URLs are accepted in client_uri, logo_uri, policy_uri, tos_uri',
    ['R7591-5-c'],
  ),
  fault(
    'client-uri-host-unchecked',
    'client_uri on another host than the redirect URIs is accepted',
    ['CUR-CAP-5', 'R7591-5-d'],
  ),
  fault(
    'https-metadata-unchecked',
    'jwks_uri, initiate_login_uri, sector_identifier_uri on http are accepted',
    ['OIDCR-2-j'],
  ),
  fault(
    'alg-unsupported-accepted',
    'Unsupported algorithms (`HS999`, `HS256`, `none`) are stored for ID tokens and UserInfo',
    ['OIDCR-2-h', 'OIDCR-2-g', 'OIDCC-10.1-a'],
  ),
  fault('enc-without-alg-accepted', '`*_encrypted_response_enc` without its `_alg` is accepted', [
    'OIDCR-2-i',
  ]),
  fault('subject-type-unchecked', 'An unknown subject_type is stored and echoed', ['OIDCR-2-l']),
  fault('acr-unchecked', 'default_acr_values outside the allowed authenticators are accepted', [
    'CUR-CAP-3',
  ]),
  fault(
    'implicit-accepted',
    'The implicit grant can be registered although the capability is off (and it is not advertised)',
    ['CUR-CAP-1', 'R8414-2-b'],
  ),
  // Errors
  fault(
    'wrong-error-code',
    'Metadata errors use `invalid_request` instead of invalid_redirect_uri / invalid_client_metadata',
    ['R7591-3.2.2-b', 'CUR-ERR-1'],
  ),
  fault('error-200', 'Registration errors answer 200 with the error JSON', ['R7591-3.2.2-a']),
  fault('error-html', 'Registration errors answer 400 with an HTML page', ['R7591-3.2.2-a']),
  fault('error-description-non-ascii', '`error_description` contains non-ASCII characters', [
    'R7591-3.2.2-c',
  ]),
  // Software statements
  fault(
    'ssa-signature-ignored',
    'Software statements are decoded without verifying the signature',
    ['R7591-2.3-d'],
  ),
  fault('ssa-alg-none-accepted', 'Unsecured (`alg: none`) software statements are accepted', [
    'R7591-2.3-b',
  ]),
  fault('ssa-untrusted-accepted', 'Statements signed by an untrusted key are accepted', [
    'R7591-3.2.2-d',
  ]),
  fault('ssa-expired-accepted', 'Expired statements are accepted', ['R7591-2.3-d']),
  fault('ssa-claims-not-precedent', "Plain JSON members win over the statement's claims", [
    'R7591-2.3-e',
  ]),
  fault('ssa-not-echoed', 'The statement itself is not returned in the response', [
    'R7591-3.2.1-i',
  ]),
  // Templates
  fault(
    'template-unknown-accepted',
    'A request with only an unknown template `software_id` falls back to the default template (201)',
    ['CUR-TPL-2'],
  ),
  fault('template-id-reused', "Templatized registration returns the template's own client_id", [
    'CUR-TPL-1',
  ]),
  // Management (RFC 7592)
  fault(
    'rat-not-required',
    'The configuration endpoint works without a registration access token',
    ['R7592-2.1-c'],
  ),
  fault('foreign-rat-accepted', "A RAT of client A works on client B's configuration URI", [
    'R7592-2.1-d',
  ]),
  fault('config-404-unknown', 'Unknown clients get 404 at the configuration endpoint', [
    'R7592-2.1-e',
  ]),
  fault(
    'config-refusal-no-challenge',
    "A registration access token used on another client's (or an unknown) configuration URI is refused without a WWW-Authenticate header",
    ['R6750-3-b'],
  ),
  fault('access-token-as-rat', "The IAT or the client's own access token work as RAT", [
    'R7592-2-c',
  ]),
  fault(
    'put-merges',
    'PUT merges the body into the stored metadata (arrays united) instead of replacing it',
    ['R7592-2.2-b', 'R7592-2.2-c'],
  ),
  fault('put-adopts-secret', 'A client_secret in a PUT body becomes the new secret', [
    'R7592-2.2-f',
  ]),
  fault('put-client-id-unchecked', 'PUT without client_id (or with another one) is accepted', [
    'R7592-2.2-d',
  ]),
  fault('put-invalid-accepted', 'PUT skips metadata validation', ['R7592-2.2-g']),
  fault('delete-200-or-keeps', 'DELETE answers 200 and the client keeps working', [
    'R7592-2.3-a',
    'R7592-2.3-b',
  ]),
  fault(
    'deleted-client-authenticates',
    'After DELETE (204) the token endpoint still authenticates the client with its old secret',
    ['R7592-2.3-b'],
  ),
  fault('delete-keeps-tokens', 'Tokens of a deleted client stay valid', ['R7592-2.3-c']),
  fault('rotation-old-still-valid', 'After rotation on GET/PUT the old RAT and secret still work', [
    'CUR-MGMT-2',
  ]),
  fault('dcrm-ignored', '`dcrm` tokens of the management client cannot manage clients', [
    'CUR-MGMT-3',
  ]),
  fault('config-patch-accepted', 'PATCH on the configuration endpoint answers 200 instead of 405', [
    'R7592-2-b',
  ]),
  fault(
    'read-drops-metadata',
    'GET on the configuration endpoint omits the members the server filled in (grant_types, response_types, token_endpoint_auth_method, scope)',
    ['R7592-2.1-a'],
  ),
  fault(
    'read-null-members',
    'GET and PUT responses show metadata the client never set as `null` (client_uri, logo_uri, ...)',
    ['R7592-2.1-a', 'R7592-2.2-a'],
  ),
  fault(
    'read-cacheable',
    'GET and PUT responses of the configuration endpoint lack `Cache-Control: no-store` although they carry the RAT and secret',
    ['R7591-3.2.1-h'],
  ),
  fault(
    'read-modifies-client',
    'Every GET saves the client back with `refresh_token` appended to grant_types, so two reads differ',
    ['OIDCR-4.2-a'],
  ),
  fault(
    'delete-keeps-refresh-tokens',
    'DELETE only hides the client from the configuration endpoint: its refresh tokens still redeem',
    ['R7592-2.3-c'],
  ),
  // Authorization endpoint
  fault(
    'redirect-mismatch-redirects',
    'An unregistered redirect_uri gets an error redirect to it',
    ['R6749-3.1.2.4-a'],
  ),
  fault(
    'redirect-query-dropped',
    'The query component of the redirect URI is dropped when the code is added to it',
    ['R6749-3.1.2-c'],
  ),
  fault(
    'redirect-query-unmatched',
    'The requested redirect URI is matched without its query, so a registered URI with a query ' +
      'never matches',
    ['R9700-4.1.3-b'],
  ),
  fault('redirect-prefix-match', 'Redirect URIs are matched by prefix, not exact string', [
    'R9700-4.1.3-b',
  ]),
  fault(
    'loopback-url-normalised',
    'A loopback redirect URI is matched in its parsed form without the port: `127.1`, `user@` ' +
      'and dot segments spell the registered URI',
    ['R9700-4.1.3-b'],
  ),
  fault(
    'loopback-any-path',
    'A loopback redirect URI matches any path and query on its host and any port',
    ['R9700-4.1.3-b'],
  ),
  fault('loopback-port-strict', 'Loopback redirect URIs must match the registered port', [
    'R8252-7.3-a',
  ]),
  fault(
    'missing-redirect-uri-defaults',
    'Without redirect_uri the first registered one is used even when several are registered',
    ['R6749-3.1.2.3-a'],
  ),
  fault('response-type-unchecked', 'An unregistered response_type is answered with a code', [
    'R6749-4.1.2.1-a',
  ]),
  fault('state-dropped', '`state` is not returned in authorization responses', [
    'R6749-4.1.2-a',
    'R6749-4.1.2.1-b',
  ]),
  fault('iss-missing', 'No `iss` parameter in authorization responses', ['R9207-2-a']),
  fault('pkce-not-required', '`require_proof_key` / public clients may omit the code challenge', [
    'R7636-4.4.1-a',
    'CUR-PKCE-1',
    'R9700-2.1.1-c',
  ]),
  fault(
    'pkce-plain-accepted',
    '`code_challenge_method=plain` is accepted although not advertised',
    ['R7636-4.4.1-b'],
  ),
  fault(
    'pkce-absent-method-plain',
    'A `code_challenge` without `code_challenge_method` is taken as plain although plain is not advertised',
    ['R7636-4.4.1-b'],
  ),
  fault('framing-allowed', 'Authorization and login pages carry no anti-framing headers', [
    'R9700-4.16-a',
  ]),
  fault('login-307', 'The login form POST is answered with 307', ['R9700-4.12-a']),
  fault('authorize-cors', 'The authorization endpoint sends `Access-Control-Allow-Origin: *`', [
    'R9700-2.6-b',
  ]),
  // Token endpoint
  fault('code-reusable', 'An authorization code can be redeemed more than once', ['R6749-4.1.2-b']),
  fault('code-replay-no-revoke', 'A replayed code fails but the tokens issued for it stay valid', [
    'R6749-4.1.2-c',
  ]),
  fault('code-not-bound-to-client', "Any client can redeem another client's code", [
    'R6749-4.1.3-b',
  ]),
  fault('code-redirect-uri-unchecked', "The token request's redirect_uri is not compared", [
    'R6749-4.1.3-c',
  ]),
  fault(
    'pkce-required-only-at-token',
    'A client that must use PKCE gets a code without a challenge; only the redeem is refused',
    ['R7636-4.4.1-a'],
  ),
  fault('pkce-ignored', 'The code_verifier is not checked', ['R7636-4.6-a']),
  fault('pkce-downgrade', 'A code_verifier is accepted for a code issued without challenge', [
    'R9700-2.1.1-b',
  ]),
  fault(
    'auth-method-not-enforced',
    'A client registered for client_secret_basic may use client_secret_post',
    ['OIDCC-9-a'],
  ),
  fault(
    'two-auth-methods-accepted',
    'Basic and client_secret in the body in one request are accepted',
    ['R6749-2.3-a'],
  ),
  fault('confidential-no-auth', 'A confidential client redeems a code with client_id only', [
    'R6749-4.1.3-a',
  ]),
  fault(
    'client-assertion-alg-none-accepted',
    'An unsecured (alg none) private_key_jwt client assertion authenticates the client',
    ['OIDCR-2-g'],
  ),
  fault(
    'basic-no-www-authenticate',
    'Failed Basic authentication gets 401 without WWW-Authenticate',
    ['R6749-5.2-a'],
  ),
  fault(
    'refresh-grant-unregistered',
    'A client registered without the refresh_token grant keeps that registration, yet its code ' +
      'is redeemed with a refresh token, and the refresh grant works',
    ['R6749-5.2-b'],
  ),
  fault(
    'unknown-client-invalid-request',
    'A token request from an unknown client_id gets 400 invalid_request, not 401 invalid_client',
    ['R6749-5.2-a'],
  ),
  fault('grant-type-unchecked', 'Grants the client did not register are honoured', ['R6749-5.2-b']),
  fault('token-no-store-missing', 'Token responses lack `Cache-Control: no-store`', [
    'R6749-5.1-a',
  ]),
  fault('scope-not-narrowed', "Tokens are issued for scopes outside the client's registration", [
    'R6749-3.3-a',
  ]),
  fault('refresh-reusable', 'Refresh tokens are not rotated: the old one keeps working', [
    'R9700-4.14-a',
  ]),
  fault('refresh-not-bound', "A refresh token works with another client's credentials", [
    'R6749-6-a',
  ]),
  fault('refresh-scope-widening', 'A refresh may ask for scopes not originally granted', [
    'R6749-6-b',
  ]),
  // ID tokens and UserInfo
  fault('id-token-aud-wrong', 'The ID token `aud` is the issuer instead of the client_id', [
    'OIDCC-2-a',
  ]),
  fault('id-token-nonce-missing', 'The ID token lacks the `nonce` of the request', ['OIDCC-2-b']),
  fault('id-token-at-hash-wrong', 'The ID token `at_hash` does not match the access token', [
    'OIDCC-3.1.3.6-a',
  ]),
  fault('id-token-alg-ignored', 'ID tokens are always RS256, whatever the client registered', [
    'OIDCR-2-o',
  ]),
  fault('id-token-expired', 'ID tokens are issued already expired', ['OIDCC-2-a']),
  fault('id-token-kid-missing', 'ID tokens carry no `kid` although the JWKS has several keys', [
    'OIDCC-10.1-b',
  ]),
  fault('auth-time-missing', 'ID tokens lack `auth_time` even when require_auth_time is set', [
    'OIDCR-2-m',
  ]),
  fault('pairwise-ignored', 'Pairwise clients get the public subject', ['OIDCC-8-a']),
  fault('userinfo-sub-mismatch', 'UserInfo returns a `sub` different from the ID token', [
    'OIDCC-5.3.2-a',
  ]),
  fault(
    'userinfo-jwt-ignored',
    'UserInfo answers JSON even when userinfo_signed_response_alg is registered',
    ['OIDCR-2-p'],
  ),
  // Added to give every requirement group a fault
  fault('ssa-iss-not-required', 'Software statements without `iss` are accepted', ['R7591-2.3-c']),
  fault(
    'ssa-malformed-ignored',
    'A software_statement that is not a JWS is ignored instead of refused',
    ['R7591-2.3-a'],
  ),
  fault('oidc-metadata-incomplete', 'The OpenID metadata lacks `subject_types_supported`', [
    'OIDCD-3-b',
  ]),
  fault('application-type-default-native', 'An omitted application_type defaults to `native`', [
    'OIDCR-2-a',
  ]),
  fault('id-token-alg-default-wrong', 'An omitted id_token_signed_response_alg defaults to ES256', [
    'OIDCR-2-f',
  ]),
  fault(
    'client-id-reused',
    'The client_id is derived from the metadata, so identical registrations share it',
    ['R7591-3.2.1-c'],
  ),
  fault('client-id-numeric', 'client_id is a sequence number sent as a JSON number', [
    'R7591-3.2.1-b',
  ]),
  fault('secret-post-broken', 'client_secret_post can be registered but never authenticates', [
    'R7591-2-c',
    'R6749-2.3.1-b',
  ]),
  fault('basic-not-urldecoded', 'Basic credentials are not form-urldecoded before comparison', [
    'R6749-2.3.1-a',
  ]),
  fault(
    'basic-ignored',
    'The token endpoint never reads HTTP Basic (credentials only from the body: a Basic-only request gets 400 invalid_request); metadata advertises client_secret_post, not client_secret_basic (the MCP TypeScript SDK)',
    ['R6749-2.3.1-a'],
  ),
  fault(
    'grant-types-default-missing',
    'Omitted grant_types / response_types get no defaults (empty lists)',
    ['R7591-2-f'],
  ),
  fault('scope-not-echoed', 'The registered scope is not returned in the response', ['R7591-2-i']),
  fault('config-read-text-plain', 'GET on the configuration endpoint answers `text/plain`', [
    'R7592-2-a',
  ]),
  fault(
    'rotated-secret-not-saved',
    'A secret rotated on GET/PUT is returned but never stored, so it does not work',
    ['R7592-2.1-b'],
  ),
  fault('put-response-stale', 'PUT answers 200 with the metadata as it was before the update', [
    'R7592-2.2-a',
    'R7592-2.2-h',
  ]),
  fault(
    'put-adopts-server-members',
    'A registration_access_token in a PUT body becomes a valid RAT',
    ['R7592-2.2-e'],
  ),
  fault(
    'pkce-s256-wrong-encoding',
    'S256 is computed as hex instead of base64url: correct verifiers fail',
    ['R7636-4.2-a'],
  ),
  fault('native-loopback-rejected', 'Native clients cannot register loopback redirect URIs', [
    'R8252-7-a',
  ]),
  fault('discovery-http-endpoints', 'Metadata advertises http:// endpoint URLs', ['R8414-2-a']),
  fault(
    'unadvertised-auth-method-accepted',
    'Metadata omits `none` from token_endpoint_auth_methods_supported, yet registration accepts it',
    ['R8414-2-b'],
  ),
  fault(
    'auth-methods-overadvertised',
    'Metadata advertises client_secret_jwt, which registration refuses',
    ['R8414-2-b'],
  ),
  fault(
    'redirect-wildcard-accepted',
    'Wildcard redirect URIs (`https://*.example.com/cb`) are accepted and matched as patterns',
    ['R9700-4.1.3-a', 'R9700-4.1.3-b'],
  ),
  fault('iat-not-required', 'Registration works without any initial access token', ['R6750-3-a']),
  fault(
    'sector-identifier-unchecked',
    'A sector_identifier_uri is fetched, but its array is not checked for the redirect URIs',
    ['OIDCR-5-a'],
  ),
  fault(
    'pairwise-multi-host-accepted',
    'Pairwise clients with redirect URIs on several hosts need no sector_identifier_uri',
    ['OIDCC-8.1-a'],
  ),
  fault('token-scope-omitted', 'Token responses omit `scope`', ['CUR-IAT-1']),
  fault(
    'private-scheme-rejected',
    'Native clients cannot register private-use scheme redirect URIs',
    ['R8252-7-a'],
  ),
  fault('registration-cors-missing', 'The registration endpoint answers no CORS preflight', [
    'OIDCR-3-a',
  ]),
  fault(
    'registration-cors-preflight-only',
    'The registration endpoint answers the CORS preflight, but its registration answer carries no Access-Control-Allow-Origin, so a browser cannot read it',
    ['OIDCR-3-a'],
  ),
  fault(
    'registration-cors-headers-missing',
    'The registration endpoint answers the CORS preflight without Access-Control-Allow-Headers, so a browser never sends the JSON POST',
    ['OIDCR-3-a'],
  ),
  fault(
    'plain-http-accepted',
    'The TLS port also answers cleartext HTTP, so registrations succeed without TLS',
    ['R7591-3-a'],
  ),
  fault(
    'open-registration-requires-token',
    'With open registration configured, requests without a token still get 401',
    ['R7591-3-b', 'CUR-OPEN-1'],
  ),
  fault('contacts-as-string', 'contacts are stored and echoed as one comma-separated string', [
    'R7591-2-k',
  ]),
  fault(
    'config-read-partial',
    'GET on the configuration endpoint returns only the credentials, not the metadata',
    ['R7592-2.1-a'],
  ),
  fault('json-body-refused', 'Registration only accepts form-encoded bodies; JSON gets 400', [
    'R7591-3.1-a',
  ]),
  fault('default-max-age-ignored', 'A registered default_max_age never forces a new login', [
    'OIDCR-2-n',
  ]),
  // The MCP authorization profile (reference-server/mcp/)
  fault(
    'mcp-s256-not-advertised',
    'Metadata lists only `plain` in code_challenge_methods_supported, not S256',
    ['MCP-ASM-a'],
  ),
  fault(
    'prm-issuer-not-exact',
    'Protected resource metadata names the authorization server with a trailing slash its issuer does not have, so a client discards the metadata it finds (RFC 8414 §3.3)',
    ['MCP-ASM-b'],
  ),
  fault(
    'resource-ignored',
    'The `resource` parameter is ignored: unknown resources are accepted and tokens carry no audience',
    ['MCP-RI-a', 'R8707-2-b'],
  ),
  fault(
    'resource-refused-invalid-request',
    'A `resource` the server will not serve is refused with `invalid_request` instead of `invalid_target`',
    ['R8707-2-b'],
  ),
  fault(
    'audience-not-bound',
    'The MCP server accepts any access token of its authorization server, whatever its audience',
    ['MCP-AUD-a'],
  ),
  fault(
    'prm-resource-mismatch',
    'Protected resource metadata names the origin as `resource`, not the MCP server URL it was fetched for',
    ['R9728-3.3-a'],
  ),
  fault(
    'prm-http-urls',
    'Protected resource metadata gives `resource` and `authorization_servers` as http:// URLs',
    ['R9728-2-a'],
  ),
  fault(
    'no-resource-metadata',
    'No protected resource metadata discovery: the 401 challenge has no `resource_metadata` ' +
      'and the well-known URLs answer 404',
    ['MCP-PRM-b', 'MCP-PRM-d'],
  ),
  fault(
    'loopback-any-host',
    'A loopback redirect URI matches any scheme, host and port: only the path is compared, so a ' +
      'code goes to any host',
    ['MCP-RED-a'],
  ),
  fault(
    'mcp-scope-hint-insufficient',
    'The MCP servers name only `openid` in their challenge and scopes_supported, yet require `read`',
    ['MCP-SCOPE-a'],
  ),
  // Client ID Metadata Documents (reference-server/cimd/, draft-ietf-oauth-client-id-metadata-document-02)
  fault(
    'cimd-not-advertised',
    'Metadata omits `client_id_metadata_document_supported` although https client ids work',
    ['MCP-CIMD-h'],
  ),
  fault(
    'cimd-client-id-mismatch-accepted',
    'A client metadata document whose `client_id` differs from the URL it was fetched from is accepted',
    ['MCP-CIMD-a'],
  ),
  fault(
    'cimd-code-not-redeemed',
    'Client authentication (token, introspection and revocation endpoints) does not take an ' +
      'https client_id URL as a public client: the code issued for one is refused with invalid_client',
    ['MCP-CIMD-i'],
  ),
  fault(
    'cimd-redirect-uri-unchecked',
    'A client metadata document client may use any redirect_uri, not only the document\'s `redirect_uris`',
    ['MCP-CIMD-b'],
  ),
  fault(
    'cimd-loopback-fetched',
    'No SSRF guard: a client_id URL on a loopback or private address is fetched',
    ['MCP-CIMD-c'],
  ),
  fault(
    'cimd-symmetric-auth-accepted',
    'A client metadata document with a shared-secret auth method or `client_secret` is accepted',
    ['MCP-CIMD-d'],
  ),
  fault(
    'cimd-fetch-failure-ignored',
    'A client metadata document that cannot be fetched (error, non-200, redirect, not a JSON object) ' +
      'does not abort the authorization: the client is taken as public with any redirect_uri',
    ['MCP-CIMD-e'],
  ),
  fault(
    'cimd-oversize-accepted',
    'A client metadata document longer than 5 KiB is read and accepted (up to 16 MiB)',
    ['MCP-CIMD-f'],
  ),
  fault(
    'cimd-cache-ignores-headers',
    'A fetched client metadata document is cached forever, whatever its Cache-Control says',
    ['MCP-CIMD-g'],
  ),
  // Input-dependent: only some metadata triggers them (found by `dcr-conformance fuzz`)
  fuzzFault('jwks-no-kty-crash', 'A `jwks` key without `kty` gets a 500 instead of a 400', [
    'R7591-3.2.2-a',
  ]),
  fuzzFault(
    'fragment-redirect-multi-accepted',
    'A redirect URI with a fragment is accepted when the registration has two or more redirect URIs',
    ['R6749-3.1.2-a'],
  ),
  fuzzFault(
    'contacts-non-ascii-garbled',
    'Contacts with non-ASCII characters are echoed garbled (their UTF-8 bytes read as Latin-1)',
    ['R7591-2-k'],
  ),
]

const known = new Set(faultCatalogue.map((f) => f.name))

/** An unknown fault name (stable code for the CLI). */
export class UnknownFaultError extends Error {
  readonly code = 'E_UNKNOWN_FAULT'
  constructor(names: string[]) {
    super(`unknown fault(s): ${names.join(', ')} (see \`dcr-conformance faults\`)`)
    this.name = 'UnknownFaultError'
  }
}

/** The active faults of one server. */
export class FaultSet {
  readonly #active: ReadonlySet<string>

  constructor(names: readonly string[] = []) {
    const unknown = names.filter((n) => !known.has(n))
    if (unknown.length > 0) throw new UnknownFaultError(unknown)
    this.#active = new Set(names)
  }

  /** Whether a fault is active; an unknown name is a programming error and throws. */
  has(name: string): boolean {
    if (!known.has(name)) throw new UnknownFaultError([name])
    return this.#active.has(name)
  }

  list(): string[] {
    return [...this.#active]
  }
}
