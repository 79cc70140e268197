"""The playbook format: what a lawyer writes, checked before it is saved or used."""

from enum import StrEnum
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from worker.clauses.categories import CATEGORIES
from worker.playbook.values import Quantity

# Not in CUAD; named as Japanese legal teams file them (合意管轄, 秘密保持, 返還・破棄, 反社会的勢力の排除,
# 再委託, 損害賠償), and what an NDA is about (秘密情報の定義, その除外, 許容される開示先, 法令等に基づく開示,
# 残留情報); found by headings and wording (worker/articles.py).
PRACTICE_CATEGORIES: tuple[str, ...] = (
    "Jurisdiction", "Confidentiality", "Return or Destruction", "Anti-Social Forces", "Subcontracting", "Damages",
    "Definition of Confidential Information", "Confidentiality Exclusions", "Permitted Disclosure",
    "Compelled Disclosure", "Residuals",
)
# What a rule may name: CUAD's 41 categories (the classifier's labels) and these.
RULE_CATEGORIES: tuple[str, ...] = CATEGORIES + PRACTICE_CATEGORIES


class Severity(StrEnum):
    """Most severe first: this order is the one findings are listed, reported and explained in."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for the most severe: a sort key."""
        return list(type(self)).index(self)


class Check(StrEnum):
    REQUIRED = "required"  # the clause must be there
    PROHIBITED = "prohibited"  # the clause must not be there
    MAX_DURATION = "max_duration"  # the period `reads` names (or every period in the clause) is at most `days`
    MIN_DURATION = "min_duration"  # the period `reads` names (or every period in the clause) is at least `days`
    JURISDICTION_IN = "jurisdiction_in"  # the named law or courts are among `allowed`
    MIN_CAP_MONTHS = "min_cap_months"  # the liability cap is at least `months` of fees
    REQUIRES = "requires"  # when this clause is there, `requires_category` must be there too
    SAYS = "says"  # where the clause is, it says one of `phrases` (its wording, not only its presence, decides)


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")
    category: str
    title: str = Field(min_length=3, max_length=200)
    check: Check
    severity: Severity
    explanation: str = Field(min_length=3, max_length=2000)
    fallback: str = Field(default="", max_length=4000, description="The firm's fallback wording.")
    days: int | None = Field(default=None, ge=0, le=36500)
    reads: Quantity | None = Field(
        default=None,
        description="The period a max_duration or min_duration rule is about (renewal_notice, payment_term, "
        "cure_period, survival_period), read by the words around it; without it, every period in the clause counts.",
    )
    months: int | None = Field(default=None, ge=0, le=1200)
    allowed: list[str] | None = None
    requires_category: str | None = None
    phrases: list[str] | None = None
    party: Literal["theirs", "ours"] | None = Field(
        default=None,
        description="The rule is about what the other side (theirs) or we (ours) may or must do: with the reviewer's "
        "side known, a clause counts only when that party is its subject; not known, it counts for either.",
    )
    threshold: float | None = Field(default=None, ge=0, le=1, description="Classifier score that counts as present.")

    @model_validator(mode="after")
    def _parameters_fit_the_check(self) -> Self:
        if self.category not in RULE_CATEGORIES:
            raise ValueError(f"unknown clause category {self.category!r}")
        needed = {
            Check.MAX_DURATION: "days",
            Check.MIN_DURATION: "days",
            Check.JURISDICTION_IN: "allowed",
            Check.MIN_CAP_MONTHS: "months",
            Check.REQUIRES: "requires_category",
            Check.SAYS: "phrases",
        }.get(self.check)
        if needed and getattr(self, needed) in (None, []):
            raise ValueError(f"rule {self.id!r}: check {self.check.value!r} needs '{needed}'")
        if self.reads is not None and self.check not in (Check.MAX_DURATION, Check.MIN_DURATION):
            raise ValueError(f"rule {self.id!r}: 'reads' names a period, for max_duration and min_duration only")
        if self.requires_category is not None and self.requires_category not in RULE_CATEGORIES:
            raise ValueError(f"unknown clause category {self.requires_category!r}")
        return self


OURS = "{ours}"  # in a phrase: the party we are


class Playbook(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=2, max_length=100)
    language: Literal["en", "ja"] = Field(default="en", description="The language the playbook's texts are written in.")
    contract_type: str = Field(min_length=2, max_length=100)
    description: str = ""
    threshold: float = Field(default=0.5, ge=0, le=1, description="Default score that counts as present.")
    assumed_side: str | None = Field(
        default=None, max_length=40,
        description="The side the playbook is written from (「甲」): `{ours}` in a rule's phrases stands for our side "
        "as the review names it, or this one when the review does not say.",
    )  # fmt: skip
    rules: list[Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _rule_ids_are_unique(self) -> Self:
        ids = [rule.id for rule in self.rules]
        duplicates = sorted({rule_id for rule_id in ids if ids.count(rule_id) > 1})
        if duplicates:
            raise ValueError(f"rule ids must be unique: {duplicates}")
        sided = [rule.id for rule in self.rules if any(OURS in phrase for phrase in rule.phrases or ())]
        if sided and not self.assumed_side:
            raise ValueError(f"rules {sided} name {OURS} in their phrases: the playbook needs 'assumed_side'")
        return self
