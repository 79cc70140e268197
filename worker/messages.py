"""Messages the engines write for people, in English, that the web layer shows in the user's language.

Engines carry no Django: a message is an English template with %(name)s parameters, marked with this
`gettext_noop` (makemessages collects the name), and the web layer translates the template and then fills
in the parameters.
"""


def gettext_noop(message: str) -> str:
    """Marks a template for translation; returns it unchanged."""
    return message
