"""Writes a copy of a generated page with a share of its records broken, for the validation
case's invalid page: the same page, read and checked like the clean one, but with findings.

Usage: mutate_page.py PAGE.json OUT.json PERMILLE SEED
PERMILLE of the records (vroegsignalen or schuldhulptrajecten, at least one) get one of: a
date that is no date, a code-list value outside its list, a BSN that fails the elfproef, a
required member left out, a value of the wrong type. Only inside records, so the page stays
readable (violations outside records make a page unreadable, which is another case). Prints
one JSON line: how many records were broken. Never prints a value of the page.
"""

import json
import random
import sys

BREAKS = ("date", "code", "bsn", "missing", "type")


def leaves(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, path + (index,))
    else:
        yield path, value


def is_date(value):
    return isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-"


def set_at(record, path, value):
    for step in path[:-1]:
        record = record[step]
    record[path[-1]] = value


def break_record(record, rng):
    found = list(leaves(record))
    dates = [path for path, value in found if is_date(value)]
    bsns = [path for path, value in found if isinstance(path[-1], str) and path[-1].lower() == "burgerservicenummer"]
    texts = [path for path, value in found if isinstance(value, str) and not is_date(value) and path not in bsns]
    kind = rng.choice(BREAKS)
    if kind == "date" and dates:
        set_at(record, rng.choice(dates), rng.choice(["2025-02-30", "01-02-2025", "2025-13-01"]))
    elif kind == "code" and texts:
        set_at(record, rng.choice(texts), "Onbekende waarde")
    elif kind == "bsn" and bsns:
        set_at(record, rng.choice(bsns), "123456789")
    elif kind == "missing" and len(record) > 1:
        del record[rng.choice(sorted(record))]
    else:
        path, value = rng.choice(found)
        set_at(record, path, "42" if isinstance(value, int) else 42)
    return kind


def main(page_path, out_path, permille, seed):
    page = json.load(open(page_path, "rb"))
    rng = random.Random(seed)
    records = []
    for levering in page["gegevens"].get("leveringen", []):
        for name in ("vroegsignalen", "schuldhulptrajecten"):
            records.extend(item for item in levering.get(name, []) if isinstance(item, dict))
    chosen = [record for record in records if rng.randrange(1000) < permille] or records[:1]
    kinds = {}
    for record in chosen:
        kind = break_record(record, rng)
        kinds[kind] = kinds.get(kind, 0) + 1
    with open(out_path, "w") as out:
        json.dump(page, out, ensure_ascii=False, separators=(",", ":"))
    print(json.dumps({"kind": "validation-page", "subject": "mutated", "parameters": {"permille": permille},
                      "figures": {"records": len(records), "broken": len(chosen), **{f"broken-{k}": v for k, v in kinds.items()}}}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
