"""The pseudonym mapping of a document (<PERSON_1> -> the real name), kept encrypted at rest.

The model only ever sees placeholders; the lawyer sees the real names, un-masked at display time from this
mapping. The key comes from PII_MAPPING_KEY, or is derived from SECRET_KEY when that is unset.
"""

import base64
import json
from collections.abc import Mapping

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _fernet() -> Fernet:
    if settings.PII_MAPPING_KEY:
        return Fernet(settings.PII_MAPPING_KEY.encode())
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"workbench-pii-mapping").derive(
        settings.SECRET_KEY.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def seal(mapping: Mapping[str, str]) -> bytes:
    return _fernet().encrypt(json.dumps(dict(mapping), ensure_ascii=False).encode())


def unseal(token: bytes | memoryview | None) -> dict[str, str]:
    """The mapping, or an empty one when there is none or the key changed (placeholders then stay visible)."""
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(bytes(token)))
    except InvalidToken:
        return {}
