"""Turns the measurements of one Benchmarks/run (JSON lines) into the table and latest.json.

Usage: report.py RAW.jsonl LATEST.json SECONDS
Every figure is the median of the rounds with min–max; every ratio is taken between medians
measured in the same run.
"""

import json
import os
import platform
import statistics
import sys
from collections import defaultdict
from datetime import datetime, timezone

raw_path, latest_path, elapsed = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = [json.loads(line) for line in open(raw_path) if line.strip().startswith("{")]


def key(row, *names):
    return (row["kind"], row["subject"]) + tuple(row["parameters"].get(name) for name in names)


def collect(kind, figure, *names):
    groups = defaultdict(list)
    for row in rows:
        if row["kind"] == kind and figure in row["figures"]:
            groups[key(row, *names)].append(row["figures"][figure])
    return groups


def spread(values):
    return statistics.median(values), min(values), max(values)


def fmt(value, digits=0):
    return f"{value:,.{digits}f}"


def cell(values, digits=0):
    median, low, high = spread(values)
    if len(values) == 1:
        return fmt(median, digits)
    return f"{fmt(median, digits)} ({fmt(low, digits)}–{fmt(high, digits)})"


lines = []
summary = {"cases": {}}


def table(title, header, body):
    lines.append("")
    lines.append(f"**{title}**")
    lines.append("")
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join("---" for _ in header) + "|")
    for row in body:
        lines.append("| " + " | ".join(row) + " |")


def ratio(a, b):
    return f"{a / b:.2f}×" if a and b else "–"


# 1. Queue
queue = collect("queue", "perSecond", "workers", "batch", "history", "synchronousCommit")
QUEUE_COLUMNS = ["workers", "ours /s", "pgbench, same SQL /s", "pgbench, minimal /s", "pgqueuer /s", "ours / same SQL",
                 "ours / minimal", "ours / pgqueuer"]


def queue_rows(cases, synchronous):
    """The queue table's rows and data for (workers, batch) `cases`, with synchronous_commit on or off."""
    body, data = [], []
    m = statistics.median
    for workers, batch in cases:
        ours = queue.get(("queue", "ours", workers, batch, 0, synchronous), [])
        if not ours:
            continue
        same = queue.get(("queue", "pgbench", workers, batch, None, synchronous), [])
        minimal = queue.get(("queue", "pgbench minimal", workers, batch, None, synchronous), [])
        peer = queue.get(("queue", "pgqueuer", workers, batch, None, synchronous), [])
        body.append([f"{workers} × batch {batch}", cell(ours), cell(same) if same else "–", cell(minimal) if minimal else "–",
                     cell(peer) if peer else "–", ratio(m(ours), m(same) if same else 0), ratio(m(ours), m(minimal) if minimal else 0),
                     ratio(m(ours), m(peer) if peer else 0)])
        data.append({"workers": workers, "batch": batch, "ours": spread(ours), "pgbench": spread(same) if same else None,
                     "pgbenchMinimal": spread(minimal) if minimal else None, "pgqueuer": spread(peer) if peer else None})
    return body, data


if any(k[1] == "ours" and not k[4] for k in queue):
    deliveries = int(next(row["parameters"]["deliveries"] for row in rows if row["kind"] == "queue"))
    cases = [(workers, batch) for batch in (1, 16) for workers in (1, 2, 4)]
    body, data = queue_rows(cases, None)
    table(f"1. Queue: no-op deliveries claimed and completed per second ({deliveries:,} per round, synchronous_commit=off)",
          QUEUE_COLUMNS, body)
    summary["cases"]["queue"] = data
    body, data = queue_rows(cases, 1)
    if body:
        table(f"1b. Queue with synchronous_commit=on, the production setting ({deliveries:,} per round)", QUEUE_COLUMNS, body)
        summary["cases"]["queueSynchronousCommit"] = data

# 2. Validation, per page: VS, SHV and each with a share of its records broken (`page` of a row; before it was
# recorded, every page was the VS page).
targets = []


def target(figure, value, limit, at_least, shown):
    """One figure of issue 21 against its target: ✓ when it reaches it, ✗ when not, – when it was not measured."""
    if value is None:
        targets.append([figure, "–", ("≥ " if at_least else "≤ ") + shown, "–"])
        return
    met = value >= limit if at_least else value <= limit
    targets.append([figure, f"{value:.2f}", ("≥ " if at_least else "≤ ") + shown, "✓" if met else "✗"])


def page_of(row):
    return row.get("page", "VS")


validation_rows = [row for row in rows if row["kind"] == "validation"]
pages = list(dict.fromkeys(page_of(row) for row in validation_rows))
m = statistics.median
summary["cases"]["validation"] = {}
by_page = {}
for page in pages:
    here = [row for row in validation_rows if page_of(row) == page]
    speeds, peaks, times = defaultdict(list), defaultdict(list), defaultdict(list)
    for row in here:
        speeds[row["subject"]].append(row["figures"]["megabytesPerSecond"])
        peaks[row["subject"]].append(row["figures"]["peakBytesAbove"])
        times[row["subject"]].append(row["figures"]["seconds"])
    size = here[0]["parameters"]["bytes"]
    records = max((row["parameters"].get("records", 0) for row in here), default=0)
    by_page[page] = {"size": size, "speed": {k: m(v) for k, v in speeds.items()}, "peak": {k: m(v) for k, v in peaks.items()},
                     "seconds": {k: m(v) for k, v in times.items()}}
    speed = by_page[page]["speed"]
    names = [("ours-parse", "ours: parse (limit)"), ("ours-schema", "ours: parse + schema"),
             ("ours-semantic", "ours: parse + schema + semantic"), ("orjson", "orjson.loads (limit)"),
             ("jsonschema-rs", "jsonschema-rs + orjson"), ("fastjsonschema", "fastjsonschema + orjson")]
    body, data = [], []
    for subject, label in names:
        values = speeds.get(subject)
        if not values:
            continue
        peak = m(peaks[subject])
        body.append([label, cell(values, 1), ratio(speed[subject], speed.get("jsonschema-rs", 0)),
                     ratio(speed[subject], speed.get("ours-parse" if subject.startswith("ours") else "orjson", 0)),
                     f"{peak / size:.2f}×"])
        data.append({"subject": subject, "megabytesPerSecond": spread(values), "peakBytesAbove": peak})
    broken = next((row["figures"] for row in rows if row["kind"] == "validation-page" and page_of(row) == page), None)
    what = f"{int(records):,} records" + (f", {int(broken['broken']):,} of them broken" if broken else "")
    table(f"2. Validation: one {page} page ({what}, {size / 1e6:.1f} MB)",
          ["reader", "MB/s", "/ jsonschema-rs", "/ its parse limit", "peak memory above baseline / page"], body)
    summary["cases"]["validation"][page] = {"pageBytes": size, "records": records, "readers": data, "broken": broken}

for page in [p for p in pages if not p.endswith("-invalid")]:
    speed, peak, size = by_page[page]["speed"], by_page[page]["peak"], by_page[page]["size"]
    def quotient(a, b):
        return a / b if a and b else None
    target(f"{page}: full validation / jsonschema-rs + orjson (speed)", quotient(speed.get("ours-semantic"), speed.get("jsonschema-rs")),
           2, True, "2×")
    target(f"{page}: parse alone / orjson.loads (speed)", quotient(speed.get("ours-parse"), speed.get("orjson")), 3, True, "3×")
    target(f"{page}: validation peak memory above baseline / page", quotient(peak.get("ours-semantic"), size), 1.5, False, "1.5×")
    invalid = by_page.get(page + "-invalid")
    for mode in ("semantic", "schema"):
        clean_seconds = by_page[page]["seconds"].get("ours-" + mode)
        invalid_seconds = invalid["seconds"].get("ours-" + mode) if invalid else None
        target(f"{page}: time of the 1%-invalid page / the clean page ({mode})", quotient(invalid_seconds, clean_seconds), 1.2, False,
               "1.2×")
    if invalid:
        target(f"{page}-invalid: validation peak memory above baseline / page", quotient(invalid["peak"].get("ours-semantic"),
               invalid["size"]), 1.5, False, "1.5×")

# 3. Pull, per stream
pull = [row for row in rows if row["kind"] == "pull"]
summary["cases"]["pull"] = {}
for page in dict.fromkeys(page_of(row) for row in pull):
    here = [row for row in pull if page_of(row) == page]
    ours = [r for r in here if r["subject"] == "ours"]
    copy = [r for r in here if r["subject"] == "curl"]
    curves = [r for r in here if r["subject"] == "memory"]
    ours_speed = [r["figures"]["bytes"] / r["figures"]["seconds"] / 1e6 for r in ours]
    copy_speed = [r["figures"]["bytes"] / r["figures"]["seconds"] / 1e6 for r in copy]
    peaks = [r["figures"]["peakBytes"] / 1e6 for r in ours]
    baselines = [r["figures"]["baselineBytes"] / 1e6 for r in ours]
    page_count = int(m(r["parameters"]["pages"] for r in ours)) if ours else 0
    page_mb = m(r["figures"]["bytes"] / max(1, r["parameters"]["pages"]) for r in ours) / 1e6 if ours else 0
    curve_max = [r["figures"]["maxBytes"] / 1e6 for r in curves]
    curve_after = [r["figures"]["afterBytes"] / 1e6 for r in curves]
    body = [["ours: pull, verify, validate, sink", cell(ours_speed, 1) if ours else "–",
             ratio(m(ours_speed), m(copy_speed)) if ours and copy_speed else "–",
             f"{cell(peaks)} MB (idle {fmt(m(baselines))} MB; page {page_mb:.1f} MB)" if ours else "–",
             f"max {cell(curve_max)} MB, after {cell(curve_after)} MB ({len(curves[0]['curve'])} samples)" if curves else "–"],
            ["curl to a file (limit)", cell(copy_speed, 1) if copy else "–", "1.00×", "–", "–"]]
    table(f"3. Pull pipeline: one delivery of {page_count} {page} pages", ["path", "MB/s", "/ limit", "service peak RSS",
          "RSS every 100 ms"], body)
    summary["cases"]["pull"][page] = {"ours": spread(ours_speed) if ours else None, "curl": spread(copy_speed) if copy else None,
                                      "peakRSSMegabytes": spread(peaks) if peaks else None,
                                      "idleRSSMegabytes": spread(baselines) if baselines else None,
                                      "curveMaxMegabytes": spread(curve_max) if curves else None,
                                      "curveAfterMegabytes": spread(curve_after) if curves else None}
    target(f"{page}: pull MB/s / curl", m(ours_speed) / m(copy_speed) if ours_speed and copy_speed else None, 0.5, True, "0.5×")
    if curves and page_mb:
        # Every sample of every round under 2 × page + 100 MB: the worst round is the figure.
        limit = 2 * page_mb + 100
        target(f"{page}: pull RSS, highest sample / (2 × page + 100 MB = {limit:.0f} MB)", max(curve_max) / limit, 1, False, "1")
    else:
        target(f"{page}: pull RSS, highest sample / (2 × page + 100 MB)", None, 1, False, "1")

# 4. API
api_rows = [row for row in rows if row["kind"] == "api" and "requestsPerSecond" in row["figures"]]
if api_rows:
    m = statistics.median

    def api_group(name, setting=None, connections=None, segment=None):
        return [r["figures"] for r in api_rows if r["subject"] == name
                and (setting is None or r["parameters"].get("synchronousCommit", "off") == setting)
                and (connections is None or r["parameters"].get("connections") == connections)
                and (segment is None or r["parameters"].get("segment", 0) == segment)]

    limit = m([f["requestsPerSecond"] for f in api_group("GET /health/live")] or [0])
    body, data = [], []
    reads = ["GET /health/live", "GET /v1/gemeenten/{code}", "GET /v1/gemeenten/{code} (If-None-Match)", "GET /v1/voortgang",
             "GET /v1/gemeenten (CSV)"]
    for name in reads + ["POST consent give/revoke"]:
        figures = api_group(name, setting="off", connections=2) if name.startswith("POST") else api_group(name)
        if not figures:
            continue
        values = [f["requestsPerSecond"] for f in figures]
        body.append([name + (" (limit)" if name == "GET /health/live" else ""), cell(values), ratio(m(values), limit),
                     cell([f["p50Milliseconds"] for f in figures], 2), cell([f["p99Milliseconds"] for f in figures], 2),
                     fmt(sum(f["non2xx"] for f in figures))])
        data.append({"route": name, "requestsPerSecond": spread(values), "p50Milliseconds": spread([f["p50Milliseconds"] for f in figures]),
                     "p99Milliseconds": spread([f["p99Milliseconds"] for f in figures]), "non2xx": sum(f["non2xx"] for f in figures)})
    memory = [row["figures"]["peakBytes"] for row in rows if row["kind"] == "api" and row["subject"] == "server memory"]
    table("4. API: wrk against one release-built `ddas-regie serve` (342 gemeenten, 41,040 deliveries); reads 16 connections, "
          "consent writes 2 (synchronous_commit=off, the run in thirds)",
          ["route", "requests/s", "/ limit", "p50 ms", "p99 ms", "non-2xx"], body)
    if memory:
        lines.append(f"\nServer peak RSS over the API runs: {memory[0] / 1e6:.0f} MB.")
    first = [f["requestsPerSecond"] for f in api_group("POST consent give/revoke", setting="off", segment=1)]
    last = [f["requestsPerSecond"] for f in api_group("POST consent give/revoke", setting="off", segment=3)]
    if first and last:
        lines.append(f"\nConsent writes with history: first third {cell(first)}/s, last third {cell(last)}/s, "
                     f"last / first {ratio(m(last), m(first))}.")
        data.append({"route": "consent flatness", "firstThird": spread(first), "lastThird": spread(last)})
    durable, durable_data = [], []
    for connections in (1, 2, 8):
        figures = api_group("POST consent give/revoke", setting="on", connections=connections)
        if not figures:
            continue
        values = [f["requestsPerSecond"] for f in figures]
        one = [f["requestsPerSecond"] for f in api_group("POST consent give/revoke", setting="on", connections=1)]
        durable.append([f"{connections} (each its own gemeente)", cell(values), ratio(m(values), m(one) if one else 0),
                        cell([f["p50Milliseconds"] for f in figures], 2), cell([f["p99Milliseconds"] for f in figures], 2),
                        fmt(sum(f["non2xx"] for f in figures))])
        durable_data.append({"connections": connections, "requestsPerSecond": spread(values)})
    ceiling = [f["requestsPerSecond"] for f in api_group("POST consent give/revoke", setting="off", connections=8)]
    if durable and ceiling:
        durable.append(["8, synchronous_commit=off (the cores' ceiling)", cell(ceiling), "–", "–", "–", "–"])
    if durable:
        table("4b. Consent writes in the production setting (synchronous_commit=on)",
              ["connections", "requests/s", "/ 1 connection", "p50 ms", "p99 ms", "non-2xx"], durable)
        data.append({"route": "consent durable", "runs": durable_data})
    summary["cases"]["api"] = data

# 5. Scale
scaled = [row for row in rows if row["kind"] == "queue" and row["subject"] == "ours" and row["parameters"].get("history")]
report = collect("report", "p50Milliseconds", "scale")
if scaled or report:
    history = {row["parameters"]["scale"]: row["figures"]["deliveries"] for row in rows if row["kind"] == "history" and row["parameters"]["scale"]}
    m = statistics.median
    scales = sorted(history)
    body, data = [], []
    queue_by_scale = defaultdict(list)
    for row in scaled:
        deliveries = row["parameters"]["history"]
        scale = min(history, key=lambda s: abs(history[s] - deliveries)) if history else 0
        queue_by_scale[scale].append(row["figures"]["perSecond"])
    if queue_by_scale:
        base = m(queue_by_scale[min(queue_by_scale)])
        body.append(["queue, 4 workers (deliveries/s)"] + [f"{cell(queue_by_scale[s])} ({m(queue_by_scale[s]) / base:.2f}×)" if s in queue_by_scale else "–" for s in scales])
        data.append({"what": "queue", "perSecond": {str(s): spread(queue_by_scale[s]) for s in queue_by_scale}})
    routes = sorted({k[1] for k in report})
    for route in routes:
        values = {k[2]: v for k, v in report.items() if k[1] == route}
        if not values:
            continue
        base = m(values[min(values)])
        body.append([f"{route} p50 ms"] + [f"{cell(values[s], 1)} ({m(values[s]) / base:.2f}×)" if s in values else "–" for s in scales])
        data.append({"what": route, "p50Milliseconds": {str(s): spread(values[s]) for s in values}})
    table("5. Scale of the work: the same work with 1×, 10× and 100× the history (factor against 1×)",
          ["work"] + [f"×{s} ({fmt(history[s])} deliveries)" for s in scales], body)
    summary["cases"]["scale"] = data

machine = f"{os.cpu_count()} cores, {platform.machine()}, Linux {platform.release()}"
when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
head = f"ddas-regie benchmarks, {when}, {machine}; median of the rounds (min–max); run took {elapsed // 60} min {elapsed % 60} s"
if targets:
    sections, lines = lines, []
    table("0. The targets of issue 21 (speed of a pull)", ["figure", "measured", "target", ""], targets)
    summary["targets"] = [{"figure": t[0], "measured": t[1], "target": t[2], "met": t[3]} for t in targets]
    lines += sections
print(head)
print("\n".join(lines))
summary.update({"date": when, "machine": machine, "seconds": elapsed, "table": head + "\n" + "\n".join(lines), "measurements": rows})
json.dump(summary, open(latest_path, "w"), indent=1)
