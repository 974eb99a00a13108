"""Maintainer script: derive ``data/places/common_words.tsv``, the place names that are also ordinary words.

Not imported by Kroniek. A name is listed when a lower-case entry of the language's spelling dictionary
normalises to it ('reading', 'mobile', 'nice'; Dutch 'door', 'hoorn', 'geel'). Such a name is only taken as a
place when written as a name (capitalised, not at a sentence start) and with support from its context.
Dictionaries: Debian's `wamerican` (SCOWL, permissive licence) and `wdutch` (OpenTaal, BSD / CC BY 3.0)::

    apt-get install wamerican wdutch
    python -m kroniek.places.derive_common_words > src/kroniek/data/places/common_words.tsv
"""
from __future__ import annotations

from pathlib import Path

from .gazetteer import build_gazetteer
from .lexicon import normalise

DICTIONARIES = {"en": Path("/usr/share/dict/american-english"), "nl": Path("/usr/share/dict/dutch")}


def main() -> None:
    gazetteer = build_gazetteer()
    names = set(gazetteer.index)
    print("# Place names (normalised, see lexicon.normalise) that are also ordinary lower-case words of the")
    print("# language. Derived from Debian wamerican (SCOWL) and wdutch (OpenTaal, BSD / CC BY 3.0):")
    print("# python -m kroniek.places.derive_common_words")
    print("lang\tword")
    for language, path in DICTIONARIES.items():
        words = set()
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            word = line.strip()
            if word and word[0].islower() and "'" not in word:
                key = normalise(word)
                if key in names:
                    words.add(key)
        for word in sorted(words):
            print(f"{language}\t{word}")


if __name__ == "__main__":
    main()
