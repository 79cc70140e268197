import os
import subprocess
import sys

import pytest
from django.urls import reverse
from django.utils import translation

from tests.conftest import ROOT
from tests.factories import UserFactory

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "x" * 20 + "production-secret-key-that-is-long-and-random-9f8a7b",
    "DJANGO_ALLOWED_HOSTS": "workbench.example.com",
    "PATH": os.environ["PATH"],
    "HOME": os.environ.get("HOME", "/tmp"),
    "WORKBENCH_ENV_FILE": "",  # the checkout's local .env must not soften the production defaults
}


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, cwd="/", timeout=120,
    )  # fmt: skip


def test_production_defaults_pass_the_deploy_check():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    shown = _manage("shell", "-c", "from django.conf import settings as s; print(s.DEBUG, s.SECURE_SSL_REDIRECT, "
                    "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)", env=PRODUCTION_ENV)
    assert shown.stdout.splitlines()[-1].split() == ["False", "True", "True", "True", "31536000"], shown.stderr


def test_no_secret_key_means_no_start():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_browser_language_and_user_setting_choose_the_language(client):
    assert "サインイン" in client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "Sign in" in client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    user = UserFactory(language="ja")
    client.force_login(user)
    page = client.get(reverse("matters:matter-list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "案件" in page  # "Matters"

    client.post(reverse("preferences"), {"language": "en"})
    page = client.get(reverse("matters:matter-list"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "Matters" in page and "案件" not in page


def test_one_english_word_with_two_meanings_gets_two_japanese_words():
    with translation.override("ja"):
        assert translation.gettext("From") == "開始日時"  # the start of a time range
        assert translation.pgettext("where a license text was retrieved", "From") == "取得元"
        assert translation.gettext("Position") == "位置"  # an event's place in the chain
        assert translation.pgettext("a playbook's stance on a clause", "Position") == "ポジション"


@pytest.mark.django_db
def test_engine_messages_are_translated_in_the_japanese_interface():
    from django.core.exceptions import ValidationError

    from reviews.counterparties.matcher_cache import ScreeningUnavailable, current_matcher
    from reviews.matters.services import store_document
    from tests.factories import MatterFactory, UserFactory

    matter, user = MatterFactory(), UserFactory()
    with translation.override("ja"):
        for data, japanese in ((b"", "空"), (b"%PDF-1.4 broken", "PDF"), (b"{\\rtf1 x}", "RTF")):
            with pytest.raises(ValidationError) as refused:
                store_document(actor=user, matter=matter, name="x", data=data)
            message = " ".join(refused.value.messages)
            assert japanese in message and not message.isascii(), message
        with pytest.raises(ScreeningUnavailable) as unavailable:
            current_matcher()
        assert translation.gettext(str(unavailable.value)).startswith("制裁リストが読み込まれていません")
    # A size limit is a parameter of the template, filled in after translation.
    with translation.override("ja"), pytest.raises(ValidationError) as too_large:
        from django.test import override_settings

        with override_settings(UPLOAD_MAX_BYTES=1024 * 1024):
            store_document(actor=user, matter=matter, name="big.txt", data=b"a" * (1024 * 1024 + 1))
    assert too_large.value.messages == ["ファイルが上限（1 MB）を超えています。"]


def test_clause_categories_have_japanese_names():
    from reviews.contracts.categories import LABELS, category_label

    with translation.override("ja"):
        assert category_label("Uncapped Liability") == "上限のない損害賠償責任"
        assert category_label("Anti-Social Forces") == "反社会的勢力の排除"
        untranslated = [name for name in LABELS if category_label(name) == name]
        assert untranslated == []
    with translation.override("en"):
        assert category_label("Uncapped Liability") == "Uncapped Liability"


def test_screening_evidence_and_rating_reasons_are_shown_in_japanese():
    from reviews.counterparties.rating import propose_rating, reason_text
    from reviews.counterparties.templatetags.screening import adjustment_text, screening_term
    from worker.sanctions.evidence import Adjustment

    adjustment = Adjustment("birth_year", 0.03, "birth year %(year)s matches", {"year": "1951"}).as_dict()
    _level, reasons = propose_rating(decision="review", jurisdiction=("NG", "medium"),
                                     answers={"cash_intensive": True})  # fmt: skip
    with translation.override("ja"):
        assert adjustment_text(adjustment) == "生年 1951 が一致"
        assert adjustment_text({"detail": "country NG matches"}) == "country NG matches"  # stored before templates
        assert screening_term("primary name") == "本名" and screening_term("tokens") == "語ごとに比較"
        shown = [reason_text(reason) for reason in reasons]
        assert shown[0] == "スクリーニング：要確認の制裁リスト該当候補あり"
        assert shown[1] == "国・地域 NG：中"
        assert shown[2].startswith("「はい」と回答：") and shown[2].endswith("（中）")
    with translation.override("en"):
        assert adjustment_text(adjustment) == "birth year 1951 matches"


def test_run_stages_are_shown_in_the_readers_language():
    from reviews.templatetags.runs import stage_text

    with translation.override("ja"):
        assert stage_text("combining the summaries") == "要約を統合中"
        assert stage_text("summarising part 2 of 5") == "要約中（5件中2件目）"
        assert stage_text("") == ""
    with translation.override("en"):
        assert stage_text("summarising part 2 of 5") == "summarising part 2 of 5"


@pytest.mark.django_db
def test_the_playbook_list_says_which_language_each_playbook_is_written_in(client):
    from accounts.roles import Role
    from reviews.contracts.playbooks import load_shipped_playbooks

    load_shipped_playbooks()
    client.force_login(UserFactory(role=Role.LAWYER))
    page = client.get(reverse("contracts:playbook-list"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "記述言語" in page and "日本語" in page and "英語" in page
