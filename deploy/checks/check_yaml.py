"""Every YAML and JSON file under deploy/ parses; the configuration files match their schemas.

Usage: check_yaml.py DEPLOY_DIR
"""

import json
import pathlib
import sys

import jsonschema
import yaml

from report import Report


def load_all(path: pathlib.Path) -> list:
    with path.open(encoding="utf-8") as stream:
        return list(yaml.safe_load_all(stream))


def check_parsing(deploy: pathlib.Path, report: Report) -> None:
    skipped = {".build-deploy-check"}
    files = sorted(
        p for p in deploy.rglob("*") if p.suffix in {".yaml", ".yml", ".json"} and not skipped & set(p.parts)
    )
    problems = []
    for path in files:
        try:
            if path.suffix == ".json":
                json.loads(path.read_text(encoding="utf-8"))
            else:
                load_all(path)
        except (yaml.YAMLError, json.JSONDecodeError) as error:
            problems.append(f"{path.relative_to(deploy)}: {error}".replace("\n", " "))
    report.outcome("yaml: every YAML and JSON file parses", problems, f"{len(files)} files")


def validate(document, schema_path: pathlib.Path) -> list[str]:
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    return [
        f"/{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    ]


def check_configurations(deploy: pathlib.Path, report: Report) -> None:
    schemas = deploy / "checks" / "schemas"
    cases = [
        ("kubernetes/base/exchange.yaml", "exchange-config.schema.json"),
        ("compose/exchange.demo.yaml", "exchange-config.schema.json"),
        ("compose/simulator.demo.json", "simulator-config.schema.json"),
    ]
    for relative, schema in cases:
        path = deploy / relative
        document = json.loads(path.read_text()) if path.suffix == ".json" else load_all(path)[0]
        problems = [f"{relative}{p}" for p in validate(document, schemas / schema)]
        report.outcome(f"schema: {relative} ({schema})", problems)


def main() -> None:
    deploy = pathlib.Path(sys.argv[1])
    report = Report()
    check_parsing(deploy, report)
    check_configurations(deploy, report)
    report.exit()


if __name__ == "__main__":
    main()
