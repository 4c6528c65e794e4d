"""Search in the words people use: noise words, request words and synonyms from data/search.yaml.

Pagefind matches the words it indexed, nothing more: "siup" finds nothing on a site that says NIB,
and "buat ktp" finds only pages holding both words. The index (write/search.py) gets each
synonym beside the words it stands for, and the search page gets the same rules as JSON, so the
query loses its noise words and is compared with the services' names in one canonical form. The
word rules here and in templates/static/search.js must stay the same (the query table in
tests/write/test_search_queries.py runs both).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "search.yaml"
NOT_A_WORD = re.compile(r"[^\w-]+|_")


def words(text: str) -> list[str]:
    """Lowercase words: letters, digits and inner hyphens ("KTP-el" stays one word)."""
    return [word.strip("-") for word in NOT_A_WORD.split(text.lower()) if word.strip("-")]


@dataclass(frozen=True)
class SearchWords:
    """One language's rules."""

    noise: frozenset[str]
    request: frozenset[str]
    first: frozenset[str]
    synonyms: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]  # longest alias first

    def query_words(self, text: str) -> list[str]:
        """The words searched: the noise taken out, unless nothing else is left."""
        typed = words(text)
        return [word for word in typed if word not in self.noise] or typed

    @functools.cached_property
    def by_first_word(self) -> dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]:
        """The synonyms by their alias's first word, longest first: each word is compared with
        only the few that can match there (the search records of 1,000 services: 0.06 s, not 0.19 s)."""
        index: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for alias, target in self.synonyms:
            index.setdefault(alias[0], []).append((alias, target))
        return index

    def canonical(self, text: str) -> str:
        """The words with each synonym replaced by the words the site uses, for comparing names."""
        found, out, at = self.query_words(text), [], 0
        while at < len(found):
            for alias, target in self.by_first_word.get(found[at], ()):
                if tuple(found[at:at + len(alias)]) == alias:
                    out += target
                    at += len(alias)
                    break
            else:
                out.append(found[at])
                at += 1
        return " ".join(out)

    def aliases(self, canonical_names: list[str]) -> list[str]:
        """The synonyms whose words stand in the names, given in `canonical` form (a service named
        NIB is found by siup)."""
        padded = [f" {name} " for name in canonical_names if name]
        return [" ".join(alias) for alias, target in self.synonyms
                if any(f" {' '.join(target)} " in name for name in padded)]

    def for_page(self) -> dict[str, Any]:
        """The rules as the search page's script reads them."""
        return {"noise": sorted(self.noise), "request": sorted(self.request), "first": sorted(self.first),
                "synonyms": [[" ".join(alias), " ".join(target)] for alias, target in self.synonyms]}


NO_RULES = SearchWords(frozenset(), frozenset(), frozenset(), ())


@functools.cache
def _all_rules() -> dict[str, SearchWords]:
    with open(DATA_FILE, encoding="utf-8") as stream:
        data = yaml.safe_load(stream) or {}
    return {str(code): _rules(block) for code, block in data.items()}


def _rules(block: dict[str, Any]) -> SearchWords:
    pairs = {tuple(words(str(alias))): tuple(words(str(target)))
             for alias, target in (block.get("synonyms") or {}).items()}
    ordered = sorted(pairs.items(), key=lambda pair: (-len(pair[0]), pair[0]))
    return SearchWords(noise=_word_set(block, "noise"), request=_word_set(block, "request"),
                       first=_word_set(block, "first"),
                       synonyms=tuple((alias, target) for alias, target in ordered if alias and target))


def _word_set(block: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(words(" ".join(map(str, block.get(key) or []))))


def rules(code: str) -> SearchWords:
    """A language's rules; a language the file does not list has none (searched as typed)."""
    return _all_rules().get(code, NO_RULES)
