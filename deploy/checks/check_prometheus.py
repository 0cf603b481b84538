"""deploy/prometheus/alerts.yaml, structurally (promtool, when deploy/check has it, parses the
expressions and runs alerts.test.yaml): every rule has an alert name, an expression, a severity,
a summary and a description, and every ddas_* metric it uses is one the service records (a
`label: "ddas_…"` in Sources/RegieApp: LeveringMetrics.swift, the meldingen's dispatcher, the
gauges counted at a scrape; when the repository is at hand).

Usage: check_prometheus.py DEPLOY_DIR REPO_DIR
"""

import pathlib
import re
import sys

import yaml

from report import Report


def check_rules(alerts: dict) -> tuple[list[str], int]:
    problems, count = [], 0
    for group in alerts.get("groups", []):
        for rule in group.get("rules", []):
            count += 1
            name = rule.get("alert", "?")
            if not rule.get("alert") or not rule.get("expr"):
                problems.append(f"{group.get('name')}: a rule without alert or expr")
            if rule.get("labels", {}).get("severity") not in {"critical", "warning"}:
                problems.append(f"{name}: severity must be critical or warning")
            for key in ["summary", "description"]:
                if not rule.get("annotations", {}).get(key):
                    problems.append(f"{name}: needs a {key}")
    return problems, count


def main() -> None:
    deploy, repo = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    report = Report()
    text = (deploy / "prometheus" / "alerts.yaml").read_text()
    problems, count = check_rules(yaml.safe_load(text))
    report.outcome("prometheus: every alert has an expression, a severity and a text", problems, f"{count} rules")
    sources = repo / "Sources" / "RegieApp"
    name = "prometheus: the ddas_* metrics of the alerts are the service's"
    if not sources.is_dir():
        report.skip(name, f"no {sources}")
    else:
        recorded = set()
        for source in sorted(sources.rglob("*.swift")):
            recorded |= set(re.findall(r'label: "(ddas_[a-z_]+)"', source.read_text()))
        used = set(re.findall(r"\b(ddas_[a-z_]+)", text)) - {"ddas_regie"}
        unknown = sorted(u for u in used if u not in recorded)
        report.outcome(name, [f"{u} is not recorded in Sources/RegieApp" for u in unknown], f"{len(used)} metrics")
    report.exit()


if __name__ == "__main__":
    main()
