"""Small sanctions lists written for these tests (the shared snapshots are imported in test_sanctions_import.py only)."""

import pytest

from reviews.counterparties import lists
from tests.counterparties.lists_data import OFAC_PUBLISHED, OFAC_SMALL, UN_SMALL


@pytest.fixture
def small_lists(db):
    """The small OFAC and UN lists, imported as their lists' current versions."""
    return (
        lists.import_file("ofac-sdn-csv", OFAC_SMALL, published=OFAC_PUBLISHED, system="tests"),
        lists.import_file("un-xml", UN_SMALL, system="tests"),
    )
