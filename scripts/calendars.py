#!/usr/bin/env python3
"""Generates the holiday calendars in src/calendar/data/ from the `holidays` package.

    pip install -r scripts/requirements-calendars.txt && python3 scripts/calendars.py

Run it from anywhere; it writes src/calendar/data/<id>.txt and nothing else. Python is needed
only to regenerate: the files are committed and embedded in the binary (src/calendar/mod.rs).

Each file is a header of `# key: value` lines (id, title, citation, provenance, package, years,
...), then one line per listed closed day, `YYYY-MM-DD<TAB>name`, sorted, one line per date.
Saturdays and Sundays are closed by rule in every calendar and are not listed.
"""

import datetime as dt
import pathlib
import re
import sys

import holidays
from holidays.constants import GOVERNMENT, PUBLIC

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "calendar" / "data"
PIN = ROOT / "scripts" / "requirements-calendars.txt"

FIRST, LAST = 2020, 2035
YEARS = range(FIRST, LAST + 1)
COMMAND = "pip install -r scripts/requirements-calendars.txt && python3 scripts/calendars.py"

# Federal offices closed by executive order beyond the 5 U.S.C. 6103(a) holidays, in the years
# covered. Each was checked against its order (Federal Register document or White House text);
# the package lists the same days in its `government` category, and the script refuses to run if
# the two ever disagree, so that a newer package's additions are reviewed here first.
# 2019-12-24 (E.O. 13900) is before the years covered.
US_CLOSURES = [
    (
        dt.date(2020, 12, 24),
        "Christmas Eve (executive departments closed, E.O. 13965)",
        "E.O. 13965 of 11 Dec 2020, FR Doc. 2020-27807",
    ),
    (
        dt.date(2024, 12, 24),
        "Christmas Eve (executive departments closed, E.O. 14129)",
        "E.O. 14129 of 19 Dec 2024, FR Doc. 2024-31143",
    ),
    (
        dt.date(2025, 1, 9),
        "National Day of Mourning for President Jimmy Carter (executive departments closed, E.O. 14133)",
        "E.O. 14133 of 30 Dec 2024, 90 FR 187, FR Doc. 2024-31766",
    ),
    (
        dt.date(2025, 12, 24),
        "Christmas Eve (executive departments closed, E.O. 14371)",
        "E.O. 14371 of 18 Dec 2025 (closure on 24 and 26 Dec 2025)",
    ),
    (
        dt.date(2025, 12, 26),
        "Day after Christmas (executive departments closed, E.O. 14371)",
        "E.O. 14371 of 18 Dec 2025 (closure on 24 and 26 Dec 2025)",
    ),
]

# 5 U.S.C. 6103(a), as the package names them (an observed day adds " (observed)").
US_STATUTORY = {
    "New Year's Day",
    "Birthday of Martin Luther King, Jr.",
    "Washington's Birthday",
    "Memorial Day",
    "Juneteenth National Independence Day",
    "Independence Day",
    "Labor Day",
    "Columbus Day",
    "Veterans Day",
    "Thanksgiving Day",
    "Christmas Day",
}

EU_LEFT_OUT = "regional, state and local holidays; days that are customarily but not legally off"

# id -> (country code, title, citation, what is left out). Every one: the package's `public`
# category, national (no subdivision), names in English.
NATIONAL = {
    "br-national": (
        "BR",
        "Brazil: national holidays",
        "Lei 662/1949 art. 1 (as amended by Lei 10.607/2002 and Lei 14.759/2023, 20 November "
        "from 2024); Lei 6.802/1980 (12 October); Lei 9.093/1995 art. 2 (Good Friday)",
        "state and municipal holidays; optional days (pontos facultativos: Carnival, Ash "
        "Wednesday, Corpus Christi, 28 October, 24 and 31 December)",
    ),
    "de-national": (
        "DE",
        "Germany: nationwide public holidays",
        "3 October: Einigungsvertrag art. 2(2); the others are set by each Land's "
        "Feiertagsgesetz and listed here where all 16 Länder have them",
        EU_LEFT_OUT + " (e.g. Epiphany, Corpus Christi, Reformation Day, All Saints' Day)",
    ),
    "fr-national": (
        "FR",
        "France: public holidays (jours fériés)",
        "Code du travail art. L3133-1",
        EU_LEFT_OUT + " (Good Friday and 26 December in Alsace-Moselle; overseas departments)",
    ),
    "nl-national": (
        "NL",
        "Netherlands: national public holidays",
        "national public holidays as the holidays package records them; NOT the Algemene "
        "termijnenwet art. 3 list, which also counts 5 May every year (listed here only in "
        "lustrum years) and days equated by decree",
        EU_LEFT_OUT + "; Liberation Day (5 May) outside lustrum years; days equated with "
        "holidays by decree under the Algemene termijnenwet art. 3(3)",
    ),
    "ie-national": (
        "IE",
        "Ireland: public holidays",
        "Organisation of Working Time Act 1997, Schedule 2",
        EU_LEFT_OUT + "; days given in lieu of a public holiday falling on a weekend",
    ),
    "it-national": (
        "IT",
        "Italy: national public holidays",
        "Legge 27 maggio 1949 n. 260 art. 2 (as amended; 4 October again a holiday from 2026)",
        EU_LEFT_OUT + " (a city's patron saint's day)",
    ),
    "es-national": (
        "ES",
        "Spain: national public holidays",
        "Estatuto de los Trabajadores art. 37.2 and Real Decreto 2001/1983 art. 45; the "
        "national days of each year's list in the BOE",
        EU_LEFT_OUT + "; national days an autonomous community replaces with its own",
    ),
    "be-national": (
        "BE",
        "Belgium: public holidays",
        "Wet van 4 januari 1974 betreffende de feestdagen; Koninklijk besluit van 18 april "
        "1974 art. 1",
        EU_LEFT_OUT + " (community holidays); replacement days set by employers",
    ),
    "at-national": (
        "AT",
        "Austria: public holidays",
        "Arbeitsruhegesetz § 7(2)",
        EU_LEFT_OUT + " (Land patron saints' days); 24 and 31 December (bank holidays)",
    ),
    "pl-national": (
        "PL",
        "Poland: public holidays (dni wolne od pracy)",
        "Ustawa z dnia 18 stycznia 1951 r. o dniach wolnych od pracy, art. 1 (24 December "
        "from 2025)",
        EU_LEFT_OUT,
    ),
    "se-national": (
        "SE",
        "Sweden: public holidays (allmänna helgdagar)",
        "Lag (1989:253) om allmänna helgdagar",
        EU_LEFT_OUT + "; Midsummer Eve, Christmas Eve and New Year's Eve, which Lag (1930:173) "
        "om beräkning av lagstadgad tid treats like a holiday for statutory time limits",
    ),
    "lu-national": (
        "LU",
        "Luxembourg: public holidays (jours fériés légaux)",
        "Code du travail art. L.232-2",
        EU_LEFT_OUT,
    ),
}


def pinned_version():
    for line in PIN.read_text(encoding="utf-8").splitlines():
        m = re.fullmatch(r"\s*holidays==([0-9][0-9.]*)\s*", line)
        if m:
            return m.group(1)
    sys.exit(f"{PIN}: no `holidays==VERSION` line")


def english(code):
    cls = holidays.country_holidays(code).__class__
    return "en_US" if "en_US" in cls.supported_languages else None


def national(code):
    lang = english(code)
    kwargs = {"include_sundays": False} if code == "SE" else {}
    h = holidays.country_holidays(
        code, years=YEARS, categories=(PUBLIC,), language=lang, **kwargs
    )
    return {d: n for d, n in h.items() if d.year in YEARS}


def jp_admin():
    h = holidays.country_holidays("JP", years=YEARS, categories=(PUBLIC,), language="en_US")
    days = {d: n for d, n in h.items() if d.year in YEARS}
    closure = "Year-end and New Year closure (29 Dec to 3 Jan)"
    for year in YEARS:
        for d in [dt.date(year, 12, m) for m in (29, 30, 31)] + [
            dt.date(year, 1, m) for m in (1, 2, 3)
        ]:
            days[d] = f"{days[d]}; {closure}" if d in days else closure
    return days


def us_federal():
    h = holidays.country_holidays("US", years=YEARS, categories=(GOVERNMENT,))
    days, extra = {}, {}
    for d, names in h.items():
        if d.year not in YEARS:
            continue
        for name in names.split("; "):
            base = name.removesuffix(" (observed)")
            if base in US_STATUTORY:
                days[d] = f"{days[d]}; {name}" if d in days else name
            else:
                extra[d] = name
    ours = {d for d, _, _ in US_CLOSURES}
    if set(extra) != ours:
        sys.exit(
            "us-federal: the package's closures by order differ from US_CLOSURES: "
            f"only in the package {sorted(set(extra) - ours)}, only here {sorted(ours - set(extra))}"
        )
    for year in YEARS:
        statutory = {
            n.removesuffix(" (observed)")
            for d, names in days.items()
            if d.year == year
            for n in names.split("; ")
        }
        want = len(US_STATUTORY) - (1 if year < 2021 else 0)
        if len(statutory) != want:
            sys.exit(f"us-federal: {year} has {len(statutory)} statutory holidays, expected {want}")
    for d, name in days.items():
        if name.endswith("(observed)") and d.weekday() >= 5:
            sys.exit(f"us-federal: observed day {d} is on a weekend")
    for d, name, _ in US_CLOSURES:
        days[d] = f"{days[d]}; {name}" if d in days else name
    return days


def header(fields):
    lines = []
    for key, value in fields:
        for v in value if isinstance(value, list) else [value]:
            if "\n" in v or "\t" in v:
                sys.exit(f"header {key}: one line, no tabs")
            lines.append(f"# {key}: {v}")
    return "\n".join(lines) + "\n"


def write(cal_id, fields, days):
    body = []
    for d in sorted(days):
        name = days[d]
        if "\t" in name or "\n" in name or not name.strip():
            sys.exit(f"{cal_id}: bad name for {d}: {name!r}")
        body.append(f"{d.isoformat()}\t{name}\n")
    text = header([("id", cal_id)] + fields) + "".join(body)
    (OUT / f"{cal_id}.txt").write_text(text, encoding="utf-8", newline="\n")


def main():
    version = pinned_version()
    if holidays.__version__ != version:
        sys.exit(f"holidays {holidays.__version__} is installed; {PIN.name} pins {version}")
    package = f"holidays {version}"
    provenance = f"{package} (PyPI), {FIRST}–{LAST}"
    common = [
        ("provenance", provenance),
        ("package", package),
        ("years", f"{FIRST}-{LAST}"),
        ("weekend", "Saturday and Sunday are closed by rule and not listed"),
        ("generated-by", f"scripts/calendars.py: {COMMAND}"),
        ("note", f"future years are the law as {package} records it; later changes are not in them"),
    ]
    OUT.mkdir(parents=True, exist_ok=True)

    write(
        "jp-admin",
        [
            ("title", "Japan: days the national administrative organs are closed"),
            (
                "citation",
                "行政機関の休日に関する法律 (Act on Holidays of Administrative Organs, Act No. 91 "
                "of 1988) art. 1(1): Saturdays, Sundays, national holidays under 国民の祝日に関する"
                "法律 (Act No. 178 of 1948) and 29 December to 3 January",
            ),
            *common,
            (
                "includes",
                "national holidays, substitute holidays and 国民の休日 as holidays.JP (public) "
                "gives them; 29 December to 3 January added by the generator",
            ),
            ("left-out", "local government holidays; bank holidays (holidays.JP bank category)"),
            (
                "note",
                "Vernal and Autumnal Equinox Days are the package's calculation: each year's are "
                "fixed in the Official Gazette in February of the year before",
            ),
        ],
        jp_admin(),
    )

    closures = [f"{d.isoformat()} {name.split(' (')[0]}: {source}" for d, name, source in US_CLOSURES]
    write(
        "us-federal",
        [
            ("title", "United States: federal holidays and federal closures by executive order"),
            (
                "citation",
                "5 U.S.C. 6103(a) (legal public holidays) and 6103(b) with E.O. 11582 (a holiday "
                "on a Saturday is observed the Friday before, on a Sunday the Monday after); "
                "closures ordered under E.O. 11582 as listed",
            ),
            *common,
            (
                "includes",
                "the 6103(a) holidays and their observed days (holidays.US `government` category, "
                "which in this package version holds the federal holidays) and these closures "
                "by executive order:",
            ),
            ("closure", closures),
            (
                "left-out",
                [
                    f"closures ordered after {package} was released and after this file was "
                    "generated (add them as closure days); half-day closures; 2019-12-24 (E.O. "
                    "13900, before the years covered)",
                    "Inauguration Day (6103(c), Washington DC area only): no SEC notice that "
                    "EDGAR closes on it was found, and filing agents' SEC holiday calendars for "
                    "2017 and 2021 do not list it; in 2025 it fell on Martin Luther King Day",
                    "state holidays; days closed by lapse of appropriations",
                ],
            ),
        ],
        us_federal(),
    )

    for cal_id, (code, title, citation, left_out) in NATIONAL.items():
        write(
            cal_id,
            [
                ("title", title),
                ("citation", citation),
                *common,
                (
                    "includes",
                    f"national public holidays as holidays.{code} (public category, no "
                    "subdivision) gives them",
                ),
                ("left-out", left_out),
            ],
            national(code),
        )

    write(
        "weekends",
        [
            ("title", "Saturdays and Sundays only"),
            ("citation", "none: a calendar of Saturdays and Sundays, for a rule that names no holidays"),
            ("provenance", "Saturdays and Sundays; no listed days"),
            ("years", "all"),
            ("weekend", "Saturday and Sunday are closed by rule and not listed"),
            ("generated-by", f"scripts/calendars.py: {COMMAND}"),
            ("left-out", "every holiday"),
        ],
        {},
    )


if __name__ == "__main__":
    main()
