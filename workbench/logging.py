"""Structured JSON logs for the web app, the workers and the commands.

Logs go to operators and log shippers, so they must never carry document text or personal data: code logs
ids, hashes and counts, and a last processor drops any field whose name says it holds content, in case a
caller forgets.
"""

import logging
import logging.config

import structlog

# Field names that would carry document text, prompts or personal data if someone logged them.
REDACTED_FIELDS = frozenset(
    {"text", "content", "prompt", "completion", "body", "document", "password", "email", "name", "full_name"}
)


def drop_content_fields(_logger, _method, event_dict: dict) -> dict:
    for key in REDACTED_FIELDS.intersection(event_dict):
        event_dict[key] = "[redacted]"
    return event_dict


def configure_logging(level: str = "INFO") -> None:
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        drop_content_fields,
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {
                "json": {
                    "()": structlog.stdlib.ProcessorFormatter,
                    "processors": [
                        structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                        structlog.processors.format_exc_info,
                        structlog.processors.JSONRenderer(),
                    ],
                    "foreign_pre_chain": shared,
                }
            },
            "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
            "root": {"handlers": ["console"], "level": level},
            "loggers": {
                # Request logs of Django and Celery task arguments are noise or could echo input.
                "django.server": {"level": "WARNING"},
                "celery.app.trace": {"level": "WARNING"},
                "presidio-analyzer": {"level": "WARNING"},  # logs every call at INFO
                "weasyprint": {"level": "WARNING"},
                "fontTools": {"level": "WARNING"},
            },
        }
    )
