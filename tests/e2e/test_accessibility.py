"""Accessibility in the browser (issue #27): axe-core on every page each role reaches, in English and Japanese;
keyboard-only upload, triage and approval; a non-colour cue on the review page's highlights."""

import hashlib
import os
import re
from collections import deque
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.roles import Role
from tests.e2e.accessibility import assert_accessible, describe, violations
from tests.factories import PASSWORD, MatterFactory, UserFactory, grant

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CONTRACT = (
    "MASTER SERVICES AGREEMENT\n\n1. Governing Law. This Agreement is governed by the laws of Texas.\n\n"
    "2. Liability. The Supplier's liability shall not exceed the fees paid in the three (3) months before the claim.\n"
)
# Links the crawl does not follow: signing out, other applications (Django admin, API), files and switches.
SKIP = re.compile(
    r"^/(logout|admin|api|i18n|metrics|healthz|oidc|static|media)/?|\.(csv|pdf|json|txt)$|/download"
)
MAX_PAGES = 40  # per role and language; the crawl visits one page of each URL shape


def _user(username: str, *roles: Role):
    user = UserFactory(username=username, role=roles[0])
    user.groups.add(*Group.objects.filter(name__in=[role.value for role in roles[1:]]))
    return user


@pytest.fixture
def workbench_data():
    """A matter everyone may see, with a finished review and findings, an approval under way, a counterparty
    with a screening, the model register and an access review campaign: what each role's pages show."""
    from audit.access_reviews.services import start_campaign
    from audit.approvals import services as approvals
    from licenses.seed import seed_register
    from reviews.contracts.models import ContractReview, Finding, Playbook, PlaybookVersion
    from reviews.counterparties.models import Counterparty, CounterpartyReview
    from reviews.matters.models import Document

    people = {
        "lena": _user("lena", Role.LAWYER),
        "leo": _user("leo", Role.LAWYER),
        "ravi": _user("ravi", Role.RISK_OFFICER),
        "chiara": _user("chiara", Role.COMPLIANCE_OFFICER),
        "sam": _user("sam", Role.MODEL_STEWARD),
        "ada": _user("ada", Role.ADMIN),
    }
    matter = MatterFactory(reference="M-A11Y", title="Supply agreement", owner=people["lena"])
    for user in people.values():
        grant(user, matter)
    grant(people["lena"], matter, "change_matter")
    document = Document.objects.create(
        matter=matter, name="msa.txt", file="documents/a11y/msa", sha256=hashlib.sha256(CONTRACT.encode()).hexdigest(),
        size=len(CONTRACT), kind="txt", mime_type="text/plain", text=CONTRACT, uploaded_by=people["lena"],
    )  # fmt: skip
    playbook = Playbook.objects.create(name="MSA playbook (a11y)", contract_type="MSA")
    version = PlaybookVersion.objects.create(
        playbook=playbook, number=1, rules={"rules": []}, sha256="a" * 64
    )
    review = ContractReview.objects.create(
        matter=matter, document=document, playbook_version=version, state=ContractReview.State.DONE,
        requested_by=people["lena"], started_at=timezone.now(), finished_at=timezone.now(),
    )  # fmt: skip
    law = CONTRACT.index("1. Governing Law")
    cap = CONTRACT.index("2. Liability")
    for fingerprint, category, title, severity, start, end in [
        ("f-law", "Governing Law", "Governing law outside Japan", "medium", law, law + 66),
        ("f-cap", "Cap On Liability", "Liability cap below 12 months", "high", cap, len(CONTRACT) - 1),
    ]:
        Finding.objects.create(
            review=review, fingerprint=fingerprint, rule_id=fingerprint, category=category, kind="present", title=title,
            detected_severity=severity, severity=severity, start=start, end=end, score=0.8,
        )  # fmt: skip
    flow = approvals.submit(actor=people["lena"], obj=review)
    counterparty = Counterparty.objects.create(
        matter=matter,
        name="Kitakaze Trading",
        kind=Counterparty.Kind.ORGANISATION,
        country="JP",
        created_by=people["lena"],
    )
    CounterpartyReview.objects.create(counterparty=counterparty, state="done", requested_by=people["lena"],
                                      started_at=timezone.now(), finished_at=timezone.now())  # fmt: skip
    seed_register()
    start_campaign(actor=people["chiara"], name="Q4 access review")
    return {"people": people, "matter": matter, "review": review, "flow": flow}


def sign_in(context, base: str, username: str):
    page = context.new_page()
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/login/" not in page.url, f"{username} could not sign in"
    return page


def _shape(path: str) -> str:
    return re.sub(r"/\d+", "/N", path)


def crawl(page, base: str, start: list[str], lang: str) -> tuple[list[str], list[str]]:
    """Visit the start pages and every same-site page linked from them (one per URL shape), running axe on each;
    each page must declare the interface's language."""
    seen, visited, problems = set(), [], []
    queue = deque(urljoin(base, path) for path in start)
    while queue and len(visited) < MAX_PAGES:
        url = urldefrag(queue.popleft()).url
        parts = urlsplit(url)
        if parts.netloc != urlsplit(base).netloc or SKIP.search(parts.path) or _shape(parts.path) in seen:
            continue
        seen.add(_shape(parts.path))
        response = page.goto(url)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        assert response.status < 500, f"{url} answered {response.status}"
        visited.append(page.url)
        assert page.get_attribute("html", "lang") == lang, f"{url} does not declare lang={lang}"
        found = violations(page)
        if found:
            problems.append(describe(page.url, found))
        queue.extend(page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"))
    return visited, problems


@pytest.mark.parametrize("username", ["lena", "ravi", "chiara", "sam", "ada"])
def test_every_page_a_role_reaches_passes_axe_in_english_and_japanese(
    browser, live_server, workbench_data, username
):
    data = workbench_data
    start = ["/", f"/matters/{data['matter'].pk}/", f"/reviews/{data['review'].pk}/", f"/audit/approvals/{data['flow'].pk}/",
             "/preferences/", "/2fa/", "/operations/", "/operations/usage/"]  # fmt: skip
    problems = []
    for locale, lang in (("en-US", "en"), ("ja-JP", "ja")):
        context = browser.new_context(locale=locale)  # the interface follows the browser's language
        page = sign_in(context, live_server.url, username)
        visited, found = crawl(page, live_server.url, start, lang)
        assert len(visited) >= 8, visited
        problems += found
        context.close()
    assert not problems, "\n".join(problems)


def test_the_login_page_passes_axe_in_english_and_japanese(browser, live_server):
    """By the browser's language, and after switching with the footer's language form, keyboard only."""
    for locale, lang in (("en-US", "en"), ("ja-JP", "ja")):
        context = browser.new_context(locale=locale)
        page = context.new_page()
        page.goto(f"{live_server.url}/login/")
        assert page.get_attribute("html", "lang") == lang
        assert_accessible(page)
        context.close()
    page = browser.new_page(locale="en-US")
    page.goto(f"{live_server.url}/login/")
    tab_to(page, "#language")
    while page.evaluate("() => document.activeElement.value") != "ja":
        page.keyboard.press("ArrowDown")
    assert page.url.endswith("/login/")  # choosing alone does not reload the page
    tab_to(page, ".language button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_attribute("html", "lang") == "ja"
    assert_accessible(page)
    page.close()


def tab_to(page, selector: str, *, backwards: bool = False, limit: int = 200) -> None:
    """Press Tab (Shift+Tab) until the focused element matches; it must show that it has the focus."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", f"{selector} has the focus but shows no focus ring"
            return
    raise AssertionError(f"{selector} cannot be reached with the keyboard on {page.url}")


def keyboard_sign_in(context, base: str, username: str):
    page = context.new_page()
    page.goto(f"{base}/login/")
    tab_to(page, "#id_username")
    page.keyboard.type(username)
    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/login/" not in page.url
    return page


def test_upload_triage_and_approval_with_the_keyboard_only(browser, live_server, workbench_data, tmp_path):
    from audit.approvals.models import ApprovalDecision, ApprovalFlow
    from reviews.contracts.models import ContractReview, Finding
    from workbench.celery import app

    data = workbench_data
    base = live_server.url
    context = browser.new_context()
    lena = keyboard_sign_in(context, base, "lena")

    # Upload: the file input is reached with Tab and opened with Space; only the operating system's file dialog
    # is answered by Playwright.
    lena.goto(f"{base}/matters/{data['matter'].pk}/")
    tab_to(lena, "[data-testid=upload-form] input[type=file]")
    contract = tmp_path / "keyboard-msa.txt"
    contract.write_text(CONTRACT.replace("Texas", "Nevada"))
    with lena.expect_file_chooser() as chooser:
        lena.keyboard.press("Space")
    chooser.value.set_files(str(contract))
    tab_to(lena, "[data-testid=upload-form] button[type=submit]")
    with lena.expect_navigation():
        lena.keyboard.press("Enter")
    uploaded = ContractReview.objects.get(document__name="keyboard-msa.txt")
    assert lena.url.endswith(uploaded.get_absolute_url())
    app.control.purge()  # no worker in this test: the queued review must not reach a later test's worker

    # Triage: from the highlighted clause to its finding card, then dismiss it with a reason.
    review = data["review"]
    lena.goto(f"{base}{review.get_absolute_url()}")
    tab_to(lena, "mark.flag a")
    target = lena.evaluate("() => document.activeElement.getAttribute('href')")
    lena.keyboard.press("Enter")
    assert lena.evaluate("() => location.hash") == target
    tab_to(lena, f"{target} input[name=reason]")
    lena.keyboard.type("Acceptable for this client")
    tab_to(lena, f"{target} [data-testid=dismiss]")
    lena.keyboard.press("Enter")
    lena.wait_for_selector(f"{target}[data-status=dismissed]", timeout=10_000)
    # The card was replaced; the focus stays where the keyboard user was.
    assert lena.evaluate("() => document.activeElement.closest('[data-testid=finding]')?.id") == target[1:]
    assert Finding.objects.get(pk=target.removeprefix("#finding-")).status == "dismissed"

    # Approval: the triage changed the review, so it goes for approval again; another lawyer decides.
    lena.goto(f"{base}/audit/approvals/for/contract-review/{review.pk}/")
    tab_to(lena, "[data-testid=submit-approval]")
    with lena.expect_navigation():
        lena.keyboard.press("Enter")
    flow = ApprovalFlow.objects.exclude(pk=data["flow"].pk).get()
    context.close()

    context = browser.new_context()
    leo = keyboard_sign_in(context, base, "leo")
    leo.goto(f"{base}/audit/approvals/{flow.pk}/")
    tab_to(leo, "input[name=decision]")
    for _ in range(3):  # arrow keys move the choice within the radio group
        if leo.evaluate("() => document.activeElement.value") == "approve":
            break
        leo.keyboard.press("ArrowDown")
    leo.keyboard.press("Space")
    tab_to(leo, "textarea[name=reason]")
    leo.keyboard.type("Cap is acceptable")
    tab_to(leo, "[data-testid=decide]")
    with leo.expect_navigation():
        leo.keyboard.press("Enter")
    decision = ApprovalDecision.objects.get(flow=flow)
    assert decision.actor.username == "leo" and decision.decision == "approve"
    # Back up the page with Shift+Tab: the focus order runs both ways.
    tab_to(leo, ".mainnav a", backwards=True)
    context.close()


def test_the_review_highlights_have_a_cue_besides_colour(browser, live_server, workbench_data):
    context = browser.new_context()
    page = sign_in(context, live_server.url, "lena")
    page.goto(f"{live_server.url}{workbench_data['review'].get_absolute_url()}")
    flags = page.locator("mark.flag")
    assert flags.count() == 2
    for index in range(flags.count()):
        flag = flags.nth(index)
        cue = flag.evaluate("""mark => ({
            line: getComputedStyle(mark).textDecorationLine,
            style: getComputedStyle(mark).textDecorationStyle,
            marker: getComputedStyle(mark, '::before').content,
        })""")
        assert "underline" in cue["line"] and cue["marker"] not in ("none", "normal", ""), cue
        label = flag.locator("[data-testid=flag-label]")
        severity = flag.get_attribute("data-severity")
        assert {"high": "High", "medium": "Medium"}[severity] in label.text_content()
    # Different severities look different without colour: another line style and another marker.
    high, medium = (page.locator(f"mark.flag[data-severity={level}]") for level in ("high", "medium"))
    style = "m => getComputedStyle(m).textDecorationStyle + getComputedStyle(m, '::before').content"
    assert high.evaluate(style) != medium.evaluate(style)
    page.screenshot(path=os.environ.get("E2E_A11Y_SCREENSHOT", "/tmp/workbench-e2e-a11y-review.png"))
    context.close()


def test_the_check_reports_what_it_finds(browser):
    """The helper is not blind: an unlabelled field on a page without a language is reported, with its selector."""
    page = browser.new_page()
    page.set_content(
        "<html><head><title>t</title></head><body><main><input type=text id=nameless></main></body></html>"
    )
    found = violations(page)
    assert {"label", "html-has-lang"} <= {violation["id"] for violation in found}
    assert "#nameless" in describe(page.url, found)
    page.close()
