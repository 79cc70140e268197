"""First names and surnames of every region, from the `names-dataset` package (Apache-2.0): the
names of 491 million Facebook users of 105 countries, with each name's rank in each country.

The package's own pickles take 2 GB and 12 s to load, too much for every worker process. The names
ranked in the top `MAX_RANK` of some country are kept, in a small file built once per machine
(by `make setup`, or on first use) beside the other caches.

A name alone proves little ("Grace", "Will", "Price" are words too): most rules use the lexicon
only together with the context that makes a word a name. A common first name that is no English word
(Webster's 2nd, from the `english-words` package, lists "grant" and "will" in lower case, "Nina"
and "Whitney" only with a capital) is a name wherever it stands.
"""

from __future__ import annotations

import gzip
import json
import os
import pickle
import tempfile
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources
from pathlib import Path

from english_words import get_english_words_set

MAX_RANK = 5000
# First names common enough to be recognised in lower case after a cue ("follow up with patricia").
COMMON_RANK = 300
# First names common enough, and no English word, to be recognised alone ("with Whitney tonight").
PLAIN_RANK = 1000


@dataclass(frozen=True)
class NameLexicon:
    first: frozenset[str]  # lower case
    last: frozenset[str]
    common_first: frozenset[str]
    plain_first: frozenset[str]  # common first names that are no English word
    plain_last: frozenset[str]  # surnames that are no English word

    def is_first(self, word: str) -> bool:
        return word.lower() in self.first

    def is_last(self, word: str) -> bool:
        return word.lower() in self.last

    def is_name(self, word: str) -> bool:
        return self.is_first(word) or self.is_last(word)


def _cache_file() -> Path:
    folder = Path(os.environ.get("NAME_LEXICON_DIR", Path.home() / ".cache" / "workbench"))
    versions = f"{metadata.version('names-dataset')}-words{metadata.version('english-words')}"
    return folder / f"names-dataset-{versions}-rank{MAX_RANK}.json.gz"


def _ranked(kind: str) -> dict[str, int]:
    """Each name of the package's `kind` list with its best rank in any country."""
    data = resources.files("names_dataset").joinpath("v3", f"{kind}_names.pkl.gz")
    with data.open("rb") as raw, gzip.open(raw) as unpacked:
        names = pickle.load(unpacked)  # noqa: S301 - the installed package's own data file
    best: dict[str, int] = {}
    for name, facts in names.items():
        ranks = (facts.get("rank") or {}).values()
        if ranks and min(ranks) <= MAX_RANK and name.replace("-", "").replace("'", "").isalpha():
            key = name.lower()
            best[key] = min(best.get(key, MAX_RANK), min(ranks))
    return best


def build() -> Path:
    """Write the lexicon file (atomically: worker processes may race to build it)."""
    target = _cache_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    first, last = _ranked("first"), _ranked("last")
    # The names that are English words in lower case; the dictionary keeps its capitals.
    words = get_english_words_set(["web2"], lower=False)
    content = {"first": first, "last": last, "english_words": sorted(n for n in {*first, *last} if n in words)}
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, suffix=".tmp") as handle:
        handle.write(gzip.compress(json.dumps(content).encode()))
    os.replace(handle.name, target)
    return target


@cache
def name_lexicon() -> NameLexicon:
    path = _cache_file()
    if not path.exists():
        build()
    content = json.loads(gzip.decompress(path.read_bytes()))
    first, last, words = content["first"], content["last"], set(content["english_words"])
    return NameLexicon(
        first=frozenset(first), last=frozenset(last),
        common_first=frozenset(name for name, rank in first.items() if rank <= COMMON_RANK),
        plain_first=frozenset(name for name, rank in first.items() if rank <= PLAIN_RANK and name not in words),
        plain_last=frozenset(name for name in last if name not in words),
    )
