"""The one exception type raised for any upload the extractor refuses."""

from enum import StrEnum

from worker.messages import Refusal


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


class ExtractionError(Refusal):
    """A refused upload: `code` is stable for callers; the message never contains document text."""

    def __init__(self, code: ErrorCode, template: str, **params: object) -> None:
        self.code = code
        super().__init__(template, **params)
