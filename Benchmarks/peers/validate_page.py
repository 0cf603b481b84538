"""The peers and the limit of the validation case, on the same bytes as ours.

Usage: validate_page.py SCHEMA.json PAGE.json MODE ROUNDS
MODE: orjson (orjson.loads alone, the limit), jsonschema-rs or fastjsonschema (orjson.loads
of the page, then `gegevens` checked against the schema). Prints one JSON line: the median
seconds of ROUNDS, MB/s, and the peak memory above what the process held before the first
round (ru_maxrss). Never prints a value of the page.
"""

import json
import resource
import sys
import time

import orjson


def current_rss() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def main(schema_path: str, page_path: str, mode: str, rounds: int) -> None:
    schema = json.load(open(schema_path))
    if mode == "jsonschema-rs":
        import jsonschema_rs

        validator = jsonschema_rs.validator_for(schema)
        check = validator.is_valid
    elif mode == "fastjsonschema":
        import fastjsonschema

        compiled = fastjsonschema.compile(schema)

        def check(instance) -> bool:
            compiled(instance)
            return True

    elif mode == "orjson":
        check = None
    else:
        raise SystemExit(f"unknown mode {mode}")
    body = open(page_path, "rb").read()
    before = current_rss()
    times = []
    for _ in range(max(1, rounds)):
        started = time.perf_counter()
        page = orjson.loads(body)
        if check is not None and not check(page["gegevens"]):
            raise SystemExit(f"{mode}: the page does not satisfy the schema")
        times.append(time.perf_counter() - started)
        del page
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    times.sort()
    median = times[len(times) // 2]
    print(
        json.dumps(
            {
                "kind": "validation",
                "subject": mode,
                "parameters": {"bytes": len(body)},
                "figures": {
                    "seconds": median,
                    "minSeconds": times[0],
                    "maxSeconds": times[-1],
                    "megabytesPerSecond": len(body) / median / 1e6,
                    "peakBytesAbove": max(0, peak - before),
                },
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
