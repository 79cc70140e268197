"""axe-core (from npm, see package.json) run inside a Playwright page: WCAG 2 A and AA rules."""

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = {"serious", "critical"}


def violations(page) -> list[dict]:
    """The serious and critical violations on the page as it is now."""
    if not AXE.exists():
        raise RuntimeError(f"{AXE} is missing: run `npm ci` (make test does) to install axe-core")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return [violation for violation in result["violations"] if violation["impact"] in BLOCKING]


def describe(url: str, found: list[dict]) -> str:
    lines = [f"{url}:"]
    for violation in found:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            summary = " ".join(line.strip() for line in node.get("failureSummary", "").splitlines()[1:2])
            lines.append(f"      {' '.join(map(str, node['target']))}: {summary}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    found = violations(page)
    assert not found, describe(page.url, found)
