"""Authlib (Python) as an interop target: the fifth independent implementation of dynamic client
registration, and the second with RFC 7592 client management.

Run by Debian's interpreter with Debian's packages (python3-authlib 1.2.0, python3-flask 2.2.2):
``/usr/bin/python3 test/interop/authlib_server.py``, as the ``authlib`` entry of targets.yaml
starts it (harness/providers/command.ts). It serves HTTPS on 127.0.0.1 and a random port with the
test certificate of fixtures/tls, prints one ready line on stdout,
``{"issuer": "https://127.0.0.1:PORT", "env": {...}}``, and stops on SIGTERM or SIGINT.

Authlib does the OAuth work:

- ``authlib.integrations.flask_oauth2.AuthorizationServer`` with Authlib's Bearer token generator
  (refresh tokens switched on), client authentication (client_secret_basic, client_secret_post,
  none), the authorization-code grant with PKCE (``CodeChallenge(required=True)``: public clients
  must send a code_verifier; an explicit method must be S256, while Authlib still takes an absent
  method as plain), the refresh-token grant (rotation) and the client-credentials grant;
- RFC 7591 ``ClientRegistrationEndpoint`` at /oauth/register, its client metadata validated by
  Authlib's ``ClientMetadataClaims`` against the server metadata;
- RFC 7592 ``ClientConfigurationEndpoint`` at /oauth/register/<client_id> (GET, PUT, DELETE);
- RFC 6750 ``ResourceProtector`` / ``BearerTokenValidator`` for the initial access token and the
  registration access token;
- RFC 8414 ``AuthorizationServerMetadata`` (validated at start) at
  /.well-known/oauth-authorization-server.

The application around it is ours and in memory: clients, codes, tokens, one user ``alice``
(random password), and a combined sign-in and consent form at /oauth/authorize. Registration needs
an initial access token: a client-credentials access token of the pre-registered confidential
client ``server`` (random secret) with scope ``dcr``, as test/interop/better-auth-server.ts sets
it up; it is not one-time. Where Authlib leaves a decision to the application, the comment at the
hook names the section it follows.
"""

import json
import os
import secrets
import signal
import sys
import threading
import time
from html import escape
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, Response, request as flask_request
from werkzeug.serving import make_server

from authlib.common.security import generate_token
from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import (
    ClientMixin,
    ResourceProtector,
    TokenMixin,
    grants,
    list_to_scope,
    scope_to_list,
)
from authlib.oauth2.rfc6750 import BearerTokenValidator, InvalidTokenError
from authlib.oauth2.rfc7591 import ClientMetadataClaims, ClientRegistrationEndpoint
from authlib.oauth2.rfc7592 import ClientConfigurationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc8414 import AuthorizationServerMetadata

HERE = os.path.dirname(os.path.abspath(__file__))
TLS_DIR = os.path.join(HERE, '..', '..', 'fixtures', 'tls')

USERNAME = 'alice'
#: The client that obtains initial access tokens (test/interop/support/registration-client.ts).
REGISTRATION_CLIENT_ID = 'server'
REGISTRATION_SCOPE = 'dcr'
OTHER_SCOPE = 'api'
#: Scopes a dynamically registered client may register (RFC 7591 §2 "scope": service specific).
REGISTRABLE_SCOPES = ['profile', 'email']
SCOPES_SUPPORTED = REGISTRABLE_SCOPES + [REGISTRATION_SCOPE, OTHER_SCOPE]
#: Lifetime of an authorization code (RFC 6749 §4.1.2: short, at most 10 minutes recommended).
CODE_LIFETIME = 300

REGISTRATION_PATH = '/oauth/register'


# ---------------------------------------------------------------------------------------------
# In-memory storage
# ---------------------------------------------------------------------------------------------

class User:
    def __init__(self, username, password):
        self.username = username
        self.password = password

    def get_user_id(self):
        return self.username


class Client(ClientMixin):
    """A registered client: the RFC 7591 §3.2.1 client information and the registered metadata
    (as ``ClientMetadataClaims`` returned it)."""

    def __init__(self, client_info, client_metadata):
        self.client_info = dict(client_info)
        self.client_metadata = dict(client_metadata)

    @property
    def client_id(self):
        return self.client_info['client_id']

    @property
    def client_secret(self):
        return self.client_info.get('client_secret')

    @property
    def redirect_uris(self):
        return self.client_metadata.get('redirect_uris') or []

    @property
    def token_endpoint_auth_method(self):
        # RFC 7591 §2: the default is client_secret_basic.
        return self.client_metadata.get('token_endpoint_auth_method', 'client_secret_basic')

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        # RFC 6749 §3.1.2.3: with several registered redirect URIs the request must name one.
        if len(self.redirect_uris) == 1:
            return self.redirect_uris[0]
        return None

    def get_allowed_scope(self, scope):
        # RFC 6749 §3.3: only scopes the client registered are granted.
        if not scope:
            return ''
        allowed = set(scope_to_list(self.client_metadata.get('scope') or ''))
        return list_to_scope([s for s in scope_to_list(scope) if s in allowed])

    def check_redirect_uri(self, redirect_uri):
        if redirect_uri in self.redirect_uris:
            return True
        # RFC 8252 §7.3: any port for a registered http loopback IP redirect URI.
        loose = _without_loopback_port(redirect_uri)
        return loose is not None and any(
            _without_loopback_port(uri) == loose for uri in self.redirect_uris
        )

    def check_client_secret(self, client_secret):
        secret = self.client_secret
        return bool(secret) and secrets.compare_digest(secret, client_secret)

    def check_endpoint_auth_method(self, method, endpoint):
        # RFC 7591 §2: the client authenticates at the token endpoint with its registered method.
        if endpoint == 'token':
            return method == self.token_endpoint_auth_method
        return True

    def check_response_type(self, response_type):
        return response_type in (self.client_metadata.get('response_types') or [])

    def check_grant_type(self, grant_type):
        return grant_type in (self.client_metadata.get('grant_types') or [])


def _without_loopback_port(uri):
    """The URI without its port if it is an http URI on a loopback IP literal, else None."""
    try:
        parts = urlsplit(uri)
        host = parts.hostname
        parts.port  # a malformed port raises
    except (TypeError, ValueError):
        return None
    # Only the port may differ (RFC 8252 §7.3, RFC 9700 §2.1): userinfo makes it another URI.
    if parts.scheme != 'http' or host not in ('127.0.0.1', '::1') or '@' in parts.netloc:
        return None
    netloc = '[::1]' if host == '::1' else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


class AuthorizationCode:
    def __init__(self, code, client_id, redirect_uri, scope, user,
                 code_challenge, code_challenge_method):
        self.code = code
        self.client_id = client_id
        self.redirect_uri = redirect_uri
        self.scope = scope
        self.user = user
        self.code_challenge = code_challenge
        self.code_challenge_method = code_challenge_method
        self.auth_time = time.time()
        self.used = False

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def is_expired(self):
        return time.time() > self.auth_time + CODE_LIFETIME


class Token(TokenMixin):
    """An access token and its refresh token, if any. ``family`` is the grant it descends from
    (the authorization code, through every rotation), so a replay can revoke all of it."""

    def __init__(self, token, client_id, user, family):
        self.access_token = token['access_token']
        self.refresh_token = token.get('refresh_token')
        self.scope = token.get('scope', '')
        self.expires_in = token.get('expires_in', 0)
        self.issued_at = time.time()
        self.client_id = client_id
        self.user = user
        self.family = family
        self.access_revoked = False
        self.refresh_revoked = False

    def check_client(self, client):
        return self.client_id == client.get_client_id()

    def get_scope(self):
        return self.scope

    def get_expires_in(self):
        return self.expires_in

    def is_expired(self):
        return bool(self.expires_in) and time.time() > self.issued_at + self.expires_in

    def is_revoked(self):
        return self.access_revoked


class RegistrationToken:
    """A registration access token (RFC 7592 §1.2): it manages exactly one client."""

    def __init__(self, value, client_id):
        self.value = value
        self.client_id = client_id
        self.revoked = False

    def get_scope(self):
        return ''

    def is_expired(self):
        return False

    def is_revoked(self):
        return self.revoked


class Store:
    def __init__(self):
        self.lock = threading.RLock()
        self.users = {}
        self.clients = {}
        self.codes = {}
        self.tokens = {}
        self.refresh_tokens = {}
        self.registration_tokens = {}

    def revoke_family(self, family):
        with self.lock:
            for token in self.tokens.values():
                if token.family == family:
                    token.access_revoked = True
                    token.refresh_revoked = True

    def revoke_client(self, client_id):
        """Drops a client and everything issued to it (RFC 7592 §2.3)."""
        with self.lock:
            self.clients.pop(client_id, None)
            for token in self.tokens.values():
                if token.client_id == client_id:
                    token.access_revoked = True
                    token.refresh_revoked = True
            for code in list(self.codes.values()):
                if code.client_id == client_id:
                    del self.codes[code.code]
            for value, rat in list(self.registration_tokens.items()):
                if rat.client_id == client_id:
                    del self.registration_tokens[value]


store = Store()


# ---------------------------------------------------------------------------------------------
# The authorization server
# ---------------------------------------------------------------------------------------------

def query_client(client_id):
    return store.clients.get(client_id)


def save_token(token, request):
    credential = request.credential
    if isinstance(credential, AuthorizationCode):
        family = credential.code
    elif isinstance(credential, Token):
        family = credential.family
    else:
        family = generate_token(24)
    user = request.user.get_user_id() if request.user else None
    item = Token(token, request.client.get_client_id(), user, family)
    with store.lock:
        store.tokens[item.access_token] = item
        if item.refresh_token:
            store.refresh_tokens[item.refresh_token] = item


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none']

    def save_authorization_code(self, code, request):
        item = AuthorizationCode(
            code=code,
            client_id=request.client.get_client_id(),
            redirect_uri=request.redirect_uri,
            scope=request.scope,
            user=request.user.get_user_id(),
            code_challenge=request.data.get('code_challenge'),
            code_challenge_method=request.data.get('code_challenge_method'),
        )
        with store.lock:
            store.codes[code] = item
        return item

    def query_authorization_code(self, code, client):
        with store.lock:
            item = store.codes.get(code)
            if item is None or item.client_id != client.get_client_id():
                return None
            if item.used:
                # RFC 6749 §4.1.2: a code used twice is refused and its tokens revoked.
                store.revoke_family(item.code)
                return None
            if item.is_expired():
                return None
            return item

    def delete_authorization_code(self, authorization_code):
        # Kept, marked used, so that a replay is recognised (query_authorization_code).
        authorization_code.used = True

    def authenticate_user(self, authorization_code):
        return store.users.get(authorization_code.user)


class RefreshTokenGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none']
    #: Rotation: every refresh issues a new refresh token, the old one is revoked below.
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token):
        with store.lock:
            item = store.refresh_tokens.get(refresh_token)
            if item is None:
                return None
            if item.refresh_revoked:
                # RFC 9700 §4.14.2: reuse of a rotated refresh token revokes the active one too.
                store.revoke_family(item.family)
                return None
            return item

    def authenticate_user(self, credential):
        return store.users.get(credential.user)

    def revoke_old_credential(self, credential):
        credential.refresh_revoked = True


class S256CodeChallenge(CodeChallenge):
    # Authlib's knob for the methods it accepts when one is sent (default plain and S256; an
    # absent method is still taken as plain, expectations/authlib.yaml): S256 only, as the
    # metadata says (RFC 7636 §4.4.1: an unsupported method is refused with invalid_request).
    SUPPORTED_CODE_CHALLENGE_METHOD = ['S256']


class ClientCredentialsGrant(grants.ClientCredentialsGrant):
    # RFC 6749 §4.4: confidential clients only, so no "none".
    TOKEN_ENDPOINT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post']


class AccessTokenValidator(BearerTokenValidator):
    def authenticate_token(self, token_string):
        return store.tokens.get(token_string)


class RegistrationTokenValidator(BearerTokenValidator):
    def authenticate_token(self, token_string):
        return store.registration_tokens.get(token_string)


iat_protector = ResourceProtector()
iat_protector.register_token_validator(AccessTokenValidator())
rat_protector = ResourceProtector()
rat_protector.register_token_validator(RegistrationTokenValidator())


class RegistrationClaims(ClientMetadataClaims):
    """Authlib's client metadata validation, with the RFC 7591 §2 defaults of grant_types and
    response_types filled in first, as Authlib itself does for token_endpoint_auth_method: its
    metadata checks (``ClientRegistrationEndpoint.get_claims_options``) take ``set(value)`` and
    fail with a TypeError (a 500) on an omitted member."""

    def validate_grant_types(self):
        # RFC 7591 §2: if omitted, the default is authorization_code.
        self.setdefault('grant_types', ['authorization_code'])
        super().validate_grant_types()

    def validate_response_types(self):
        # RFC 7591 §2: if omitted, the default is code.
        self.setdefault('response_types', ['code'])
        super().validate_response_types()


def registration_metadata():
    """The server metadata the registration and configuration endpoints validate against:
    the published one, except that only the registrable scopes may be registered (RFC 7591 §2
    "scope" is service specific; dcr and api are for client `server` only)."""
    return {**server_metadata, 'scopes_supported': REGISTRABLE_SCOPES}


def registration_info(client):
    """RFC 7592 §3: the client's configuration URI and registration access token."""
    with store.lock:
        rat = next(
            (t for t in store.registration_tokens.values() if t.client_id == client.client_id),
            None,
        )
    info = {'registration_client_uri': f'{issuer}{REGISTRATION_PATH}/{client.client_id}'}
    if rat is not None:
        info['registration_access_token'] = rat.value
    return info


class RegistrationEndpoint(ClientRegistrationEndpoint):
    claims_class = RegistrationClaims

    def authenticate_token(self, request):
        # RFC 7591 §3: the initial access token is an OAuth 2.0 access token; Authlib's RFC 6750
        # validator answers a missing or invalid one (401) and one without scope dcr (403).
        token = iat_protector.validate_request([REGISTRATION_SCOPE], request)
        if token.client_id != REGISTRATION_CLIENT_ID:
            raise InvalidTokenError()
        return token

    def get_server_metadata(self):
        return registration_metadata()

    def resolve_public_key(self, request):
        # No software statements (software_statement_alg_values_supported stays None).
        return None

    def save_client(self, client_info, client_metadata, request):
        client = Client(client_info, client_metadata)
        rat = RegistrationToken(generate_token(48), client.client_id)
        with store.lock:
            store.clients[client.client_id] = client
            store.registration_tokens[rat.value] = rat
        return client

    def generate_client_registration_info(self, client, request):
        return registration_info(client)


class ConfigurationEndpoint(ClientConfigurationEndpoint):
    claims_class = RegistrationClaims

    def authenticate_token(self, request):
        # RFC 7592 §2: an invalid registration access token gets an RFC 6750 §3 error.
        return rat_protector.validate_request(None, request)

    def authenticate_client(self, request):
        return store.clients.get(flask_request.view_args.get('client_id'))

    def revoke_access_token(self, request, token):
        # RFC 7592 §2.1: a token presented for a client that does not exist SHOULD be revoked.
        # Authlib 1.2.0 calls this as (request, token) (ClientConfigurationEndpoint
        # .create_configuration_response), though its docstring says (token, request).
        token.revoked = True

    def check_permission(self, client, request):
        # RFC 7592 §1.2: a registration access token manages its own client only.
        return request.credential.client_id == client.client_id

    def delete_client(self, client, request):
        # RFC 7592 §2.3: the client id, secret and registration access token stop working, and
        # the grants and tokens issued to the client are invalidated.
        store.revoke_client(client.client_id)

    def update_client(self, client, client_metadata, request):
        # RFC 7592 §2.2: the request replaces the metadata; omitted fields are deleted.
        with store.lock:
            client.client_metadata = dict(client_metadata)
        return client

    def generate_client_registration_info(self, client, request):
        return registration_info(client)

    def get_server_metadata(self):
        return registration_metadata()


# ---------------------------------------------------------------------------------------------
# The Flask application
# ---------------------------------------------------------------------------------------------

app = Flask(__name__)
app.config.update(
    OAUTH2_REFRESH_TOKEN_GENERATOR=True,
    OAUTH2_SCOPES_SUPPORTED=SCOPES_SUPPORTED,
)
authorization = AuthorizationServer()
authorization.init_app(app, query_client=query_client, save_token=save_token)
authorization.register_grant(AuthorizationCodeGrant, [S256CodeChallenge(required=True)])
authorization.register_grant(RefreshTokenGrant)
authorization.register_grant(ClientCredentialsGrant)
authorization.register_endpoint(RegistrationEndpoint)
authorization.register_endpoint(ConfigurationEndpoint)

# Set in main() once the port is known.
issuer = ''
server_metadata = {}


def build_metadata(base):
    metadata = AuthorizationServerMetadata({
        'issuer': base,
        'authorization_endpoint': f'{base}/oauth/authorize',
        'token_endpoint': f'{base}/oauth/token',
        'registration_endpoint': f'{base}{REGISTRATION_PATH}',
        'scopes_supported': SCOPES_SUPPORTED,
        'response_types_supported': ['code'],
        'grant_types_supported': ['authorization_code', 'refresh_token', 'client_credentials'],
        'token_endpoint_auth_methods_supported': [
            'client_secret_basic', 'client_secret_post', 'none',
        ],
        # S256CodeChallenge accepts S256 when a method is sent (an absent one: see its class).
        'code_challenge_methods_supported': ['S256'],
    })
    metadata.validate()
    return dict(metadata)


def page_headers():
    return {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        # The sign-in page must not be framed (RFC 6749 §10.13).
        'X-Frame-Options': 'DENY',
        'Content-Security-Policy': "frame-ancestors 'none'",
    }


def login_page(grant, error=None, status=200):
    client = grant.request.client
    name = client.client_metadata.get('client_name') or client.client_id
    scope = grant.request.scope or ''
    action = flask_request.full_path if flask_request.query_string else flask_request.path
    body = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in</title>'
        '</head><body><h1>Sign in</h1>'
        + (f'<p role="alert">{escape(error)}</p>' if error else '')
        + f'<p>Client <code>{escape(name)}</code> asks for <code>{escape(scope)}</code>.</p>'
        f'<form method="post" action="{escape(action)}">'
        '<p><label for="username">Username</label> '
        '<input id="username" name="username" autocomplete="username" required></p>'
        '<p><label for="password">Password</label> '
        '<input id="password" name="password" type="password" '
        'autocomplete="current-password" required></p>'
        '<p><button type="submit" name="decision" value="allow">Sign in</button> '
        '<button type="submit" name="decision" value="deny" formnovalidate>Deny</button></p>'
        '</form></body></html>'
    )
    return Response(body, status=status, headers=page_headers())


@app.route('/.well-known/oauth-authorization-server')
def metadata_document():
    return Response(json.dumps(server_metadata), headers={'Content-Type': 'application/json'})


@app.route('/oauth/authorize', methods=['GET', 'POST'])
def authorize():
    try:
        grant = authorization.get_consent_grant(end_user=None)
    except OAuth2Error as error:
        return authorization.handle_error_response(None, error)
    if flask_request.method == 'GET':
        return login_page(grant)
    if flask_request.form.get('decision') == 'deny':
        return authorization.create_authorization_response(grant_user=None)
    user = store.users.get(flask_request.form.get('username', ''))
    password = flask_request.form.get('password', '')
    if user is None or not secrets.compare_digest(user.password, password):
        return login_page(grant, 'Wrong username or password.', 401)
    return authorization.create_authorization_response(grant_user=user)


@app.route('/oauth/token', methods=['POST'])
def issue_token():
    return authorization.create_token_response()


@app.route(REGISTRATION_PATH, methods=['POST'])
def register_client():
    return authorization.create_endpoint_response(RegistrationEndpoint.ENDPOINT_NAME)


@app.route(f'{REGISTRATION_PATH}/<client_id>', methods=['GET', 'PUT', 'DELETE'])
def configure_client(client_id):
    return authorization.create_endpoint_response(ConfigurationEndpoint.ENDPOINT_NAME)


# ---------------------------------------------------------------------------------------------
# Start and stop
# ---------------------------------------------------------------------------------------------

def main():
    global issuer, server_metadata
    import logging
    logging.getLogger('werkzeug').setLevel(logging.ERROR)

    password = secrets.token_urlsafe(12)
    registration_secret = secrets.token_urlsafe(32)
    store.users[USERNAME] = User(USERNAME, password)
    store.clients[REGISTRATION_CLIENT_ID] = Client(
        {
            'client_id': REGISTRATION_CLIENT_ID,
            'client_secret': registration_secret,
            'client_id_issued_at': int(time.time()),
            'client_secret_expires_at': 0,
        },
        {
            'client_name': 'DCR initial access token client',
            'token_endpoint_auth_method': 'client_secret_basic',
            'grant_types': ['client_credentials'],
            'response_types': [],
            'scope': list_to_scope([REGISTRATION_SCOPE, OTHER_SCOPE]),
        },
    )

    server = make_server(
        '127.0.0.1', 0, app, threaded=True,
        ssl_context=(os.path.join(TLS_DIR, 'server.pem'), os.path.join(TLS_DIR, 'server-key.pem')),
    )
    issuer = f'https://127.0.0.1:{server.server_port}'
    server_metadata = build_metadata(issuer)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    ready = {
        'issuer': issuer,
        'env': {
            'AUTHLIB_ISSUER': issuer,
            'AUTHLIB_PASSWORD': password,
            'AUTHLIB_IAT_CLIENT_SECRET': registration_secret,
        },
    }
    sys.stdout.write(json.dumps(ready) + '\n')
    sys.stdout.flush()

    while not stop.wait(1):
        pass
    server.shutdown()
    server.server_close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
