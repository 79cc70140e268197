"""The names clause categories are shown under: CUAD's English names, and Japanese ones in the Japanese
interface. Findings and playbooks store the English name; only the label is translated."""

from django.utils.translation import gettext_lazy as _

from worker.playbook.rules import RULE_CATEGORIES

LABELS = {
    "Document Name": _("Document Name"),
    "Parties": _("Parties"),
    "Agreement Date": _("Agreement Date"),
    "Effective Date": _("Effective Date"),
    "Expiration Date": _("Expiration Date"),
    "Renewal Term": _("Renewal Term"),
    "Notice Period to Terminate Renewal": _("Notice Period to Terminate Renewal"),
    "Governing Law": _("Governing Law"),
    "Most Favored Nation": _("Most Favored Nation"),
    "Non-Compete": _("Non-Compete"),
    "Exclusivity": _("Exclusivity"),
    "No-Solicit of Customers": _("No-Solicit of Customers"),
    "Competitive Restriction Exception": _("Competitive Restriction Exception"),
    "No-Solicit of Employees": _("No-Solicit of Employees"),
    "Non-Disparagement": _("Non-Disparagement"),
    "Termination for Convenience": _("Termination for Convenience"),
    "Rofr/Rofo/Rofn": _("Rofr/Rofo/Rofn"),
    "Change of Control": _("Change of Control"),
    "Anti-Assignment": _("Anti-Assignment"),
    "Revenue/Profit Sharing": _("Revenue/Profit Sharing"),
    "Price Restrictions": _("Price Restrictions"),
    "Minimum Commitment": _("Minimum Commitment"),
    "Volume Restriction": _("Volume Restriction"),
    "IP Ownership Assignment": _("IP Ownership Assignment"),
    "Joint IP Ownership": _("Joint IP Ownership"),
    "License Grant": _("License Grant"),
    "Non-Transferable License": _("Non-Transferable License"),
    "Affiliate License-Licensor": _("Affiliate License-Licensor"),
    "Affiliate License-Licensee": _("Affiliate License-Licensee"),
    "Unlimited/All-You-Can-Eat-License": _("Unlimited/All-You-Can-Eat-License"),
    "Irrevocable or Perpetual License": _("Irrevocable or Perpetual License"),
    "Source Code Escrow": _("Source Code Escrow"),
    "Post-Termination Services": _("Post-Termination Services"),
    "Audit Rights": _("Audit Rights"),
    "Uncapped Liability": _("Uncapped Liability"),
    "Cap on Liability": _("Cap on Liability"),
    "Liquidated Damages": _("Liquidated Damages"),
    "Warranty Duration": _("Warranty Duration"),
    "Insurance": _("Insurance"),
    "Covenant Not to Sue": _("Covenant Not to Sue"),
    "Third Party Beneficiary": _("Third Party Beneficiary"),
    "Jurisdiction": _("Jurisdiction"),
    "Confidentiality": _("Confidentiality"),
    "Return or Destruction": _("Return or Destruction"),
    "Anti-Social Forces": _("Anti-Social Forces"),
    "Subcontracting": _("Subcontracting"),
    "Damages": _("Damages"),
    "Definition of Confidential Information": _("Definition of Confidential Information"),
    "Confidentiality Exclusions": _("Confidentiality Exclusions"),
    "Permitted Disclosure": _("Permitted Disclosure"),
    "Compelled Disclosure": _("Compelled Disclosure"),
    "Residuals": _("Residuals"),
}
assert LABELS.keys() == set(RULE_CATEGORIES), "every category a rule may name has a label"


def category_label(category: str) -> str:
    """The category's name in the active language; an unknown one as it is."""
    return str(LABELS.get(category, category))


def category_choices() -> list[tuple[str, str]]:
    return [(category, LABELS[category]) for category in RULE_CATEGORIES]
