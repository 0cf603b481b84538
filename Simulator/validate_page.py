"""Validates generated /gegevens response bodies against the DDAS JSON Schema.

Usage: python3 validate_page.py SCHEMA.json BODY.json [BODY.json ...]
Checks `gegevens` against the schema (Draft 2020-12, with format checking), the paginering
fields, and the extra rules of DESIGN.md section 6 for VS bodies: BSN elfproef, postcode
pattern, dates inside the period, zaken referring to IDs on the page, unique IDs.
Prints counts only, never values.
"""
import json
import re
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def elfproef(bsn):
    return len(bsn) == 9 and bsn.isdigit() and (sum(int(d) * w for d, w in zip(bsn[:8], range(9, 1, -1))) - int(bsn[8])) % 11 == 0


for path in sys.argv[2:]:
    body = json.load(open(path))
    gegevens = body["gegevens"]
    errors = list(validator.iter_errors(gegevens))
    pag = body["paginering"]
    assert set(pag) == {"pageSize", "currentPage", "totalPages", "totalRecords"}, "paginering fields"
    start, end = gegevens["startdatumLevering"], gegevens["einddatumLevering"]
    bad = {"bsn": 0, "postcode": 0, "date": 0, "zaakref": 0, "dupid": 0}
    records = 0
    for levering in gegevens["leveringen"]:
        signals = levering.get("vroegsignalen")
        if signals is None:
            records += len(levering.get("schuldhulptrajecten", []))
            continue
        ids = [s["ID"] for s in signals]
        records += len(ids)
        bad["dupid"] += len(ids) - len(set(ids))
        for s in signals:
            client = s["client"]
            if "burgerservicenummer" in client and not elfproef(client["burgerservicenummer"]):
                bad["bsn"] += 1
            if "postcode" in client and not re.fullmatch(r"[1-9][0-9]{3}(?!SA|SD|SS)[A-Z]{2}", client["postcode"]):
                bad["postcode"] += 1
            for key in ("signaaldatum", "ontstaansdatum"):
                if key in s and not start <= s[key] <= end:
                    bad["date"] += 1
        idset = set(ids)
        for zaak in levering.get("vroegsignaalzaken", []):
            bad["zaakref"] += sum(1 for ref in zaak["vroegsignalen"] if ref["ID"] not in idset)
            for key in ("matchingsdatum", "datumOpgepakt", "startdatumMatchingperiode", "einddatumMatchingperiode"):
                if key in zaak and not start <= zaak[key] <= end:
                    bad["date"] += 1
            for poging in zaak.get("contactpogingen", []):
                if not start <= poging["datum"] <= end:
                    bad["date"] += 1
    print(f"{path}: {records} records, {len(errors)} schema errors, rule violations {bad}, paginering {pag}")
    for error in errors[:5]:
        print("  at", "/".join(map(str, error.absolute_path)), "keyword", error.validator)
