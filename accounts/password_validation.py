"""Passwords from published breaches, and ones built on them, refused offline.

zxcvbn ships 30,000 passwords ranked by how often they appear in a 10-million-password leak, and finds them
inside a password as it is typed in practice: capitalised, reversed, in l33t (P@ssw0rd) or padded with a year.
Django's CommonPasswordValidator checks only whole passwords against its own 20,000; this adds the variants and
an estimate of the guesses an attacker needs, with no network call.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from zxcvbn import zxcvbn

# zxcvbn's score 3 starts at 10^8 guesses: below it a leaked-list attack with rules finds the password quickly.
MINIMUM_SCORE = 3
LEAKED_LIST = "passwords"
# zxcvbn's cost grows with length; what is past this many characters adds no guessing weakness worth the time.
CHECKED_LENGTH = 100


class LeakedPasswordValidator:
    def validate(self, password: str, user=None) -> None:
        hints = [value for value in (getattr(user, field, "") for field in
                 ("username", "first_name", "last_name", "email")) if value]  # fmt: skip
        estimate = zxcvbn(password[:CHECKED_LENGTH], user_inputs=hints)
        if estimate["score"] >= MINIMUM_SCORE:
            return
        if any(match.get("dictionary_name") == LEAKED_LIST for match in estimate["sequence"]):
            raise ValidationError(
                _("This password is, or is built on, a password published in data breaches."),
                code="password_leaked",
            )
        raise ValidationError(_("This password is too easy to guess."), code="password_guessable")

    def get_help_text(self) -> str:
        return _("Your password can't be, or be built on, a password published in data breaches.")
