"""The one exception type raised for any upload the extractor refuses."""

from enum import StrEnum


class ErrorCode(StrEnum):
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    UNSUPPORTED_TYPE = "unsupported_type"
    CORRUPT = "corrupt"
    ENCRYPTED_PDF = "encrypted_pdf"
    NO_TEXT_LAYER = "no_text_layer"
    TOO_MANY_PAGES = "too_many_pages"
    ZIP_BOMB = "zip_bomb"
    BAD_ENCODING = "bad_encoding"


class ExtractionError(Exception):
    """A refused upload: `code` is stable for callers, `template` an English sentence with %(name)s
    parameters (a msgid the Japanese interface translates), `message` the sentence filled in. None of
    them ever contains document text."""

    def __init__(self, code: ErrorCode, template: str, **params: object) -> None:
        self.code, self.template, self.params = code, template, params
        self.message = template % params if params else template
        super().__init__(self.message)
