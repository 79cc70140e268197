"""A real OpenID Connect provider on loopback, for the company sign-in tests (accounts/oidc.py).

Built on authlib's authorization server, authorization-code grant, PKCE and OpenID Connect extensions, with
RS256 ID tokens signed by a key published at its JWKS endpoint (joserfc). It serves discovery, authorize, token,
userinfo and JWKS from a WSGI server in a thread. The authorize endpoint has no form: the person "at the browser"
(`signed_in`) is approved at once, unless disabled, in which case the provider answers access_denied. A test
changes people's groups or disables them between sign-ins.
"""

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from socketserver import ThreadingMixIn
from typing import Self
from urllib.parse import parse_qsl
from wsgiref.headers import Headers
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from wsgiref.util import request_uri

from authlib.common.security import generate_token
from authlib.oauth2 import OAuth2Error, ResourceProtector
from authlib.oauth2.rfc6749 import AuthorizationServer, ClientMixin, OAuth2Request, grants
from authlib.oauth2.rfc6749.models import AuthorizationCodeMixin, TokenMixin
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator, BearerTokenValidator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core.grants import OpenIDCode
from joserfc.jwk import RSAKey


@dataclass
class Person:
    """Someone with an account at the provider."""

    sub: str
    username: str
    email: str
    given_name: str = ""
    family_name: str = ""
    groups: list[str] = field(default_factory=list)
    enabled: bool = True

    def claims(self, scope: str) -> dict:
        scopes = scope.split()
        claims = {"sub": self.sub, "groups": list(self.groups)}
        if "email" in scopes:
            claims |= {"email": self.email, "email_verified": True}
        if "profile" in scopes:
            claims |= {"preferred_username": self.username, "given_name": self.given_name,
                       "family_name": self.family_name}  # fmt: skip
        return claims


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uris: list[str]

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope):
        return " ".join(s for s in scope.split() if s in {"openid", "email", "profile"})

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method, endpoint):
        return method in {"client_secret_post", "client_secret_basic"}

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


@dataclass
class AuthorizationCode(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    sub: str
    nonce: str
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time

    def get_acr(self):
        return None

    def get_amr(self):
        return ["pwd", "mfa"]


@dataclass
class Token(TokenMixin):
    access_token: str
    client: Client
    sub: str
    scope: str
    expires_at: float

    def check_client(self, client):
        return client.client_id == self.client.client_id

    def get_scope(self):
        return self.scope

    def get_expires_in(self):
        return int(self.expires_at - time.time())

    def is_expired(self):
        return time.time() >= self.expires_at

    def is_revoked(self):
        return False

    def get_user(self):
        return self.sub

    def get_client(self):
        return self.client


class _Request(OAuth2Request):
    """A WSGI request as authlib reads it: query and form parameters together, headers case-insensitively."""

    def __init__(self, environ):
        headers = Headers([(key[5:].replace("_", "-").title(), value) for key, value in environ.items()
                           if key.startswith("HTTP_")])  # fmt: skip
        super().__init__(environ["REQUEST_METHOD"], request_uri(environ), headers=headers)
        self._args = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        length = int(environ.get("CONTENT_LENGTH") or 0)
        self._form = dict(parse_qsl(environ["wsgi.input"].read(length).decode())) if length else {}
        self.payload = BasicOAuth2Payload({**self._args, **self._form})

    @property
    def args(self):
        return self._args

    @property
    def form(self):
        return self._form


class _CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ("client_secret_post", "client_secret_basic")

    def save_authorization_code(self, code, request):
        data = request.payload.data
        self.server.provider.codes[code] = AuthorizationCode(
            code=code, client_id=request.client.client_id, redirect_uri=data.get("redirect_uri", ""),
            scope=request.scope, sub=request.user.sub, nonce=data.get("nonce", ""),
            code_challenge=data.get("code_challenge"), code_challenge_method=data.get("code_challenge_method"),
            auth_time=int(time.time()),
        )  # fmt: skip

    def query_authorization_code(self, code, client):
        found = self.server.provider.codes.get(code)
        return found if found and found.client_id == client.client_id else None

    def delete_authorization_code(self, authorization_code):
        self.server.provider.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code):
        person = self.server.provider.people.get(authorization_code.sub)
        return person if person and person.enabled else None  # disabled meanwhile: no token


class _OpenIDCode(OpenIDCode):
    def __init__(self, provider: "OIDCProvider"):
        super().__init__(require_nonce=True)
        self.provider = provider

    def exists_nonce(self, nonce, request):
        return any(code.nonce == nonce for code in self.provider.codes.values())

    def resolve_client_private_key(self, client):
        return self.provider.forged_key or self.provider.key

    def get_client_algorithm(self, client):
        return "RS256"

    def get_encode_header(self, client):
        return {"alg": "RS256", "kid": self.provider.key.kid}

    def get_client_claims(self, client):
        return {"iss": self.provider.issuer, "aud": [client.client_id], **self.provider.id_token_overrides}

    def generate_user_info(self, user, scope):
        return user.claims(scope)


class _BearerValidator(BearerTokenValidator):
    def __init__(self, provider: "OIDCProvider"):
        super().__init__()
        self.provider = provider

    def authenticate_token(self, token_string):
        return self.provider.tokens.get(token_string)


class _Server(AuthorizationServer):
    def __init__(self, provider: "OIDCProvider"):
        super().__init__(scopes_supported=["openid", "email", "profile"])
        self.provider = provider

    def query_client(self, client_id):
        client = self.provider.client
        return client if client_id == client.client_id else None

    def save_token(self, token, request):
        self.provider.tokens[token["access_token"]] = Token(
            access_token=token["access_token"], client=request.client, sub=request.user.sub, scope=token["scope"],
            expires_at=time.time() + token["expires_in"],
        )  # fmt: skip

    def create_oauth2_request(self, request):
        return request

    def handle_response(self, status_code, payload, headers):
        return status_code, payload, headers

    def send_signal(self, name, *args, **kwargs):
        pass


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class OIDCProvider:
    """`with OIDCProvider(client_id, client_secret, redirect_uris) as provider:`; then `provider.issuer`."""

    def __init__(self, client_id: str, client_secret: str, redirect_uris: list[str]):
        self.client = Client(client_id, client_secret, redirect_uris)
        self.key = RSAKey.generate_key(2048, parameters={"kid": generate_token(8), "use": "sig", "alg": "RS256"})
        self.people: dict[str, Person] = {}
        self.signed_in: str | None = None  # the sub of the person at the browser
        self.id_token_overrides: dict = {}  # a test's forged claims, e.g. another audience
        self.forged_key: RSAKey | None = None  # signs ID tokens instead of the published key when set
        self.codes: dict[str, AuthorizationCode] = {}
        self.tokens: dict[str, Token] = {}
        self.server = _Server(self)
        self.server.register_token_generator(
            "default", BearerTokenGenerator(access_token_generator=lambda *args, **kwargs: generate_token(42))
        )
        self.server.register_grant(_CodeGrant, [CodeChallenge(required=True), _OpenIDCode(self)])
        self.protector = ResourceProtector()
        self.protector.register_token_validator(_BearerValidator(self))
        self._httpd = make_server("127.0.0.1", 0, self._app, server_class=_ThreadingServer,
                                  handler_class=_QuietHandler)  # fmt: skip
        self.issuer = f"http://127.0.0.1:{self._httpd.server_port}"

    def add(self, person: Person, *, sign_in: bool = True) -> Person:
        self.people[person.sub] = person
        if sign_in:
            self.signed_in = person.sub
        return person

    def __enter__(self) -> Self:
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    # --- endpoints -----------------------------------------------------------------------------------------

    def _discovery(self, request):
        return 200, {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        }, [("Content-Type", "application/json")]

    def _jwks(self, request):
        return 200, {"keys": [self.key.as_dict(private=False)]}, [("Content-Type", "application/json")]

    def _authorize(self, request):
        person = self.people.get(self.signed_in or "")
        try:
            grant = self.server.get_consent_grant(request, end_user=person)
        except OAuth2Error as error:
            return self.server.handle_error_response(request, error)
        # No consent form: the person is approved at once, a disabled one refused (error=access_denied).
        approved = person if person is not None and person.enabled else None
        return self.server.create_authorization_response(request, grant_user=approved, grant=grant)

    def _token(self, request):
        return self.server.create_token_response(request)

    def _userinfo(self, request):
        try:
            token = self.protector.validate_request(["openid"], request)
        except OAuth2Error as error:
            return error.status_code, dict(error.get_body()), [("Content-Type", "application/json")]
        person = self.people.get(token.sub)
        if person is None or not person.enabled:
            return 401, {"error": "invalid_token"}, [("Content-Type", "application/json")]
        return 200, person.claims(token.scope), [("Content-Type", "application/json")]

    def _app(self, environ, start_response):
        routes = {
            "/.well-known/openid-configuration": self._discovery,
            "/jwks": self._jwks,
            "/authorize": self._authorize,
            "/token": self._token,
            "/userinfo": self._userinfo,
        }
        handler = routes.get(environ["PATH_INFO"])
        if handler is None:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        status, body, headers = handler(_Request(environ))
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        start_response(f"{status} {HTTPStatus(status).phrase}", list(headers))
        return [(body or "").encode()]
