"""Messages the engines write for people, in English, that the web layer shows in the user's language.

Engines carry no Django: a message is an English template with %(name)s parameters, marked with this
`gettext_noop` (makemessages collects the name), and the web layer translates the template and then fills
in the parameters. A parameter whose name ends in `_label` is itself such a message (a use, a status) and is
translated too.
"""


def gettext_noop(message: str) -> str:
    """Marks a template for translation; returns it unchanged."""
    return message


class Refusal(Exception):
    """An engine's refusal that people read: `template` an English sentence with %(name)s parameters (a msgid
    the Japanese interface translates), `params` its values, `message` the sentence filled in (logs, audit)."""

    def __init__(self, template: str, **params: object) -> None:
        self.template, self.params = template, params
        self.message = template % params if params else template
        super().__init__(self.message)
