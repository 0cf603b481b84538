"""deploy/compose.yaml, checked for its structure without Docker: the services and what each
runs, health checks, depends_on and its conditions, profiles, volumes, bind mounts, pinned
images, variables with defaults (so that `docker compose up` needs no settings), and that the
demo profile's files agree with each other.

Usage: check_compose.py DEPLOY_DIR
"""

import json
import pathlib
import re
import sys

import yaml

from report import Report

CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}


def command(service: dict) -> list[str]:
    value = service.get("command", [])
    return value.split() if isinstance(value, str) else [str(v) for v in value]


def check_services(compose: dict, deploy: pathlib.Path) -> list[str]:
    problems: list[str] = []
    services: dict = compose.get("services", {})
    volumes = set((compose.get("volumes") or {}).keys())
    for required in ["postgres", "migrate", "api", "worker", "simulator"]:
        if required not in services:
            problems.append(f"service {required} is missing")
    for name, service in services.items():
        image = service.get("image", "")
        if not image and "build" not in service:
            problems.append(f"{name}: needs an image or a build")
        if image and "build" not in service and (":" not in image or image.endswith(":latest")):
            problems.append(f"{name}: image {image} must be pinned to a tag")
        profiles = set(service.get("profiles", []))
        for dependency, condition in (service.get("depends_on") or {}).items():
            target = services.get(dependency)
            if target is None:
                problems.append(f"{name}: depends on unknown service {dependency}")
                continue
            wanted = condition.get("condition", "service_started") if isinstance(condition, dict) else "service_started"
            if wanted not in CONDITIONS:
                problems.append(f"{name}: unknown condition {wanted} on {dependency}")
            if wanted == "service_healthy" and (target.get("healthcheck") or {}).get("test") is None:
                problems.append(f"{name}: waits for {dependency} to be healthy, which has no healthcheck")
            if wanted == "service_completed_successfully" and target.get("restart", "no") != "no":
                problems.append(f"{name}: waits for {dependency} to complete, which restarts ({target.get('restart')})")
            if set(target.get("profiles", [])) - profiles:
                problems.append(f"{name}: depends on {dependency}, which is only in profile(s) {target.get('profiles')}")
        network = service.get("network_mode", "")
        if network.startswith("service:") and network.split(":", 1)[1] not in (service.get("depends_on") or {}):
            problems.append(f"{name}: shares the network of a service it does not depend on")
        for mount in service.get("volumes", []):
            source = mount.split(":")[0] if isinstance(mount, str) else mount.get("source", "")
            if source.startswith("."):
                if not (deploy / source).exists():
                    problems.append(f"{name}: bind mount {source} does not exist")
            elif source not in volumes:
                problems.append(f"{name}: volume {source} is not declared")
    postgres = services.get("postgres", {})
    if postgres.get("ports"):
        problems.append("postgres: publishes a port; it should be reachable on the compose network only")
    if not any(str(m).endswith(":/var/lib/postgresql/data") for m in postgres.get("volumes", [])):
        problems.append("postgres: the data folder must be a volume")
    migrate = services.get("migrate", {})
    if command(migrate)[:1] != ["migrate"] or migrate.get("restart") != "no":
        problems.append("migrate: runs `migrate` once (restart: \"no\")")
    for name, role in [("api", "api"), ("worker", "worker"), ("demo-worker", "worker")]:
        service = services.get(name, {})
        if command(service)[:3] != ["serve", "--role", role]:
            problems.append(f"{name}: must run serve --role {role}")
        if name in {"api", "worker"}:
            condition = (service.get("depends_on") or {}).get("migrate", {}).get("condition")
            if condition != "service_completed_successfully":
                problems.append(f"{name}: must start after migrate completed successfully")
            if service.get("profiles"):
                problems.append(f"{name}: belongs to the default profile")
        if not service.get("read_only"):
            problems.append(f"{name}: the root file system must be read-only")
    if "demo" not in services.get("simulator", {}).get("profiles", []):
        problems.append("simulator: belongs to the demo profile")
    return problems


def check_variables(text: str) -> list[str]:
    """Every ${VAR} has a default: `docker compose up` works without any setting."""
    unescaped = re.sub(r"\$\$", "", text)
    return [f"${{{m}}} has no default (use ${{{m}:-...}})" for m in re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", unescaped)]


def check_demo_files(compose: dict, deploy: pathlib.Path) -> list[str]:
    """The simulator's suppliers, the demo worker's exchange configuration and the onboarding agree."""
    problems: list[str] = []
    simulator = json.loads((deploy / "compose" / "simulator.demo.json").read_text())
    exchange = yaml.safe_load((deploy / "compose" / "exchange.demo.yaml").read_text())
    port = simulator.get("port", 8089)
    # A supplier's service per stream: the simulator names the SHV one `<supplier>-shv`.
    services_by_stream = {(s.get("codeGegevensleverancier") or s["name"], s.get("stroom", "VS")): s for s in simulator["suppliers"]}
    for service in exchange["services"]:
        key = (service["leverancier"], service.get("stroom", "VS"))
        supplier = services_by_stream.get(key)
        if not supplier:
            problems.append(f"exchange.demo.yaml: {key[0]} {key[1]} is not served by the simulator")
            continue
        base = f"http://127.0.0.1:{port}{supplier['basePath']}"
        if service["base_url"] != base or service.get("token_url") != base + "/oauth/token":
            problems.append(f"exchange.demo.yaml: {key[0]} {key[1]} must use {base} and {base}/oauth/token")
    onboarding = (deploy / "compose" / "demo-onboarding.sh").read_text()
    for line in re.findall(r"^(GM\d{4} \S+ \S+ .+)$", onboarding, re.MULTILINE):
        code, supplier, streams, organisation = line.split(" ", 3)
        for stream in streams.split(","):
            organisations = services_by_stream.get((supplier, stream), {}).get("organisations", [])
            known = {(o["gemeentecode"].removeprefix("GM"), o["naam"]) for o in organisations}
            if (code.removeprefix("GM"), organisation) not in known:
                problems.append(
                    f"demo-onboarding.sh: {code} '{organisation}' is not an organisation of {supplier} {stream} in simulator.demo.json")
    secrets = {c.get("clientSecretEnv") for s in simulator["suppliers"] for c in s["clients"]}
    services = compose["services"]
    for name in ["simulator", "demo-worker"]:
        missing = secrets - set((services.get(name, {}).get("environment") or {}).keys())
        if missing:
            problems.append(f"{name}: lacks {sorted(missing)}")
    return problems


def main() -> None:
    deploy = pathlib.Path(sys.argv[1])
    report = Report()
    text = (deploy / "compose.yaml").read_text()
    compose = yaml.safe_load(text)
    services = compose.get("services", {})
    profiles = sorted({p for s in services.values() for p in s.get("profiles", [])})
    report.outcome("compose: services, health checks, depends_on, profiles", check_services(compose, deploy),
                   f"{len(services)} services, profiles {profiles}")
    report.outcome("compose: every variable has a default", check_variables(text))
    report.outcome("compose: the demo profile's files agree", check_demo_files(compose, deploy))
    report.exit()


if __name__ == "__main__":
    main()
