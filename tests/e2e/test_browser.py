"""End to end in real headless Chromium (Debian's package), driven by Playwright."""

import os

import pytest

from accounts.roles import Role
from tests.factories import PASSWORD, MatterFactory, UserFactory, grant
from tests.helpers import SHARED_CONTRACT


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_login_and_see_only_the_granted_matter(browser, live_server):
    lawyer = UserFactory(username="lena", role=Role.LAWYER)
    granted = MatterFactory(reference="M-GRANTED", title="Granted deal")
    MatterFactory(reference="M-HIDDEN", title="Someone else's deal")
    grant(lawyer, granted)

    page = browser.new_page()
    page.goto(f"{live_server.url}/matters/")
    assert "/login/" in page.url
    page.fill("#id_username", "lena")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/matters/")

    table = page.locator("[data-testid=matter-table]")
    assert table.locator("tbody tr").count() == 1
    assert "M-GRANTED" in table.inner_text() and "M-HIDDEN" not in page.content()
    page.screenshot(path=os.environ.get("E2E_SCREENSHOT", "/tmp/workbench-e2e-matters.png"))
    page.close()


@pytest.mark.e2e
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_upload_wait_see_a_highlighted_flag_and_dismiss_it(browser, live_server, celery_worker_process,
                                                           approved_clause_model, msa_playbook):  # fmt: skip
    lawyer = UserFactory(username="lena", role=Role.LAWYER)
    matter = MatterFactory(reference="M-REVIEW")
    grant(lawyer, matter, "view_matter")
    grant(lawyer, matter, "change_matter")

    page = browser.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "lena")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/matters/{matter.pk}/")
    page.set_input_files("input[type=file]", str(SHARED_CONTRACT))
    page.select_option("select[name=playbook]", label=msa_playbook.name)
    page.click("[data-testid=upload-form] button[type=submit]")

    page.wait_for_selector("[data-testid=flag]", timeout=180_000)  # the page reloads itself when the review is done
    flag = page.locator("[data-testid=flag]").first
    assert flag.inner_text().strip()
    flag.click()  # jumps to its finding card
    card = page.locator("[data-testid=finding][data-status=open]").first
    finding_id = card.get_attribute("id")
    card.locator("input[name=reason]").fill("Acceptable for this client")
    card.locator("[data-testid=dismiss]").click()
    page.wait_for_selector(f"#{finding_id}[data-status=dismissed]", timeout=10_000)
    page.screenshot(path=os.environ.get("E2E_REVIEW_SCREENSHOT", "/tmp/workbench-e2e-review.png"), full_page=False)
    page.close()


@pytest.mark.e2e
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_japanese_ui_reviews_a_japanese_contract_from_our_side(browser, live_server, celery_worker_process,
                                                               approved_clause_model):  # fmt: skip
    from pathlib import Path

    from reviews.contracts.playbooks import load_shipped_playbooks

    load_shipped_playbooks()
    lawyer = UserFactory(username="kenji", role=Role.LAWYER)
    matter = MatterFactory(reference="M-JA")
    grant(lawyer, matter, "view_matter")
    grant(lawyer, matter, "change_matter")
    contract = Path(__file__).parents[1] / "worker" / "data" / "nda_ja_one_sided.txt"

    page = browser.new_page(locale="ja-JP")  # the interface follows the browser's language
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "kenji")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/matters/{matter.pk}/")
    assert "当方の立場" in page.inner_text("[data-testid=upload-form]")
    page.set_input_files("input[type=file]", str(contract))
    page.select_option("select[name=playbook]", label="NDA (ja)")
    page.fill("input[name=our_side]", "乙")
    page.click("[data-testid=upload-form] button[type=submit]")

    page.wait_for_selector("[data-testid=flag]", timeout=180_000)
    flag = page.locator("[data-testid=flag][title*='損害賠償が無制限でないこと']")
    assert "一切の損害を無制限に賠償する" in flag.inner_text()
    flag.click()  # jumps to its finding card, where the playbook's Japanese fallback wording is
    card = page.locator("[data-testid=finding]", has_text="損害賠償が無制限でないこと")
    card.locator("details summary", has_text="代替文言").first.click()
    assert "通常かつ直接の損害に限り" in card.inner_text()
    page.screenshot(path=os.environ.get("E2E_JA_SCREENSHOT", "/tmp/workbench-e2e-review-ja.png"), full_page=False)
    page.close()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_an_admin_invites_a_person_who_joins_and_a_lawyer_staffs_a_new_matter_with_them(browser, live_server,
                                                                                      mailoutbox):  # fmt: skip
    import re

    from accounts.models import User
    from reviews.matters import access
    from reviews.matters.models import Matter

    UserFactory(username="ada", role=Role.ADMIN)
    UserFactory(username="lena", role=Role.LAWYER)

    def sign_in(page, username, password):
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r".*/(?!login/).*$"))

    admin = browser.new_context().new_page()
    sign_in(admin, "ada", PASSWORD)
    admin.goto(f"{live_server.url}/people/invite/")
    admin.fill("#id_username", "kenji")
    admin.fill("#id_email", "kenji@example.test")
    admin.fill("#id_first_name", "Kenji")
    admin.select_option("#id_role", value=Role.LAWYER.value)
    admin.click("main button[type=submit]")
    admin.wait_for_selector("text=kenji")
    [mail] = mailoutbox
    link = re.search(r"/invitation/[^/\s]+/", mail.body).group()

    invitee = browser.new_context().new_page()
    invitee.goto(f"{live_server.url}{link}")
    invitee.fill("#id_new_password1", "a-long-passphrase-for-kenji")
    invitee.fill("#id_new_password2", "a-long-passphrase-for-kenji")
    invitee.click("main button[type=submit]")
    sign_in(invitee, "kenji", "a-long-passphrase-for-kenji")
    assert "/login/" not in invitee.url

    lawyer = browser.new_context().new_page()
    sign_in(lawyer, "lena", PASSWORD)
    lawyer.goto(f"{live_server.url}/matters/new/")
    lawyer.fill("#id_reference", "M-2026-077")
    lawyer.fill("#id_title", "Supply agreement with Kitakaze")
    lawyer.click("[data-testid=matter-open-form] button[type=submit]")
    matter = Matter.objects.get(reference="M-2026-077")
    lawyer.goto(f"{live_server.url}/matters/{matter.pk}/access/")
    lawyer.select_option("select[name=user]", label="kenji")
    lawyer.check("input[name=permissions][value=change_matter]")
    lawyer.click("button:has-text('Grant')")
    lawyer.wait_for_selector("text=kenji")

    kenji = User.objects.get(username="kenji")
    assert access.may_work_in(kenji, matter) and matter.owner.username == "lena"
    invitee.goto(f"{live_server.url}/matters/")
    assert "M-2026-077" in invitee.content()
    for page in (admin, invitee, lawyer):
        page.close()
