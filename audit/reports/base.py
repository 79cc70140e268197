"""What every report builder provides, and what it hands to the renderer."""

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Called with a stage name and a percentage while a large report is gathered.
Progress = Callable[[str, int], None]


def no_progress(stage: str, percent: int) -> None:
    return None


class ReportError(Exception):
    """A report that cannot be made as asked: the message says why, in words for the person who asked."""


class BadTarget(ReportError):
    """WHICH does not name anything this kind of report can cover."""


@dataclass(frozen=True)
class Section:
    """One chapter: its anchor, its heading (in the table of contents too) and the template that draws it."""

    id: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReportContent:
    title: str
    scope: str
    sections: list[Section]

    @property
    def has_toc(self) -> bool:
        return len(self.sections) >= 3


class ReportBuilder(ABC):
    """One kind of report. `target` is whatever `parse` makes of WHICH (an id, a period, "all")."""

    kind: str
    label: str
    which_help: str

    @abstractmethod
    def parse(self, which: str) -> Any:
        """WHICH as the command line or the form gave it; BadTarget when it names nothing."""

    @abstractmethod
    def check_access(self, user, target: Any) -> None:
        """Raise Http404 (object scoped) or PermissionDenied (role scoped) when the user may not export."""

    @abstractmethod
    def build(self, target: Any, *, user, progress: Progress) -> ReportContent:
        """Gather the data; `user` is None for a system export (the management command)."""
