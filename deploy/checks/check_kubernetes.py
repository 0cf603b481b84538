"""The Kubernetes manifests: rendered with kustomize when a kustomize is at hand (else each
file on its own), validated offline against the Kubernetes JSON schemas that the PyPI package
kubernetes-validate bundles, the CloudNativePG and Barman Cloud kinds against the small schemas
in checks/schemas/, then checked for what the deployment promises (replicas, probes, drain
time, read-only root file system, backups, ...).

Usage: check_kubernetes.py DEPLOY_DIR REPO_DIR [KUSTOMIZE_COMMAND...]
"""

import pathlib
import subprocess
import sys

import kubernetes_validate
import yaml

from check_yaml import validate
from kubernetes_promises import check_base, check_demo
from report import Report

# Oldest and newest Kubernetes the manifests are validated against (CronJob timeZone and the
# PodDisruptionBudget's unhealthyPodEvictionPolicy are GA from 1.31).
KUBERNETES_VERSIONS = ["1.31.0", kubernetes_validate.utils.latest_version()]

CUSTOM_SCHEMAS = {
    ("postgresql.cnpg.io/v1", "Cluster"): "cnpg-cluster.schema.json",
    ("postgresql.cnpg.io/v1", "ScheduledBackup"): "cnpg-scheduledbackup.schema.json",
    ("barmancloud.cnpg.io/v1", "ObjectStore"): "barman-objectstore.schema.json",
}


def render(kustomize: list[str], target: pathlib.Path) -> tuple[list[dict], str]:
    result = subprocess.run([*kustomize, str(target)], capture_output=True, text=True)
    if result.returncode != 0:
        return [], result.stderr.strip() or f"exit status {result.returncode}"
    return [d for d in yaml.safe_load_all(result.stdout) if d], ""


def files_on_their_own(folder: pathlib.Path) -> list[dict]:
    """Without kustomize: the resources a kustomization lists (not its patches, which are
    partial, nor other kustomizations), and the ConfigMaps its configMapGenerator makes
    (without the hash suffix, which kustomize adds to the names and their references alike)."""
    kustomization = yaml.safe_load((folder / "kustomization.yaml").read_text())
    documents = []
    for entry in kustomization.get("resources", []):
        path = folder / entry
        if path.is_file():
            documents += [d for d in yaml.safe_load_all(path.read_text()) if d]
    for generator in kustomization.get("configMapGenerator", []):
        data = dict(literal.split("=", 1) for literal in generator.get("literals", []))
        for file in generator.get("files", []):
            data[pathlib.Path(file).name] = (folder / file).read_text()
        documents.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": generator["name"]}, "data": data})
    return documents


def validate_documents(documents: list[dict], schemas: pathlib.Path) -> list[str]:
    problems = []
    for document in documents:
        name = f"{document.get('kind')}/{document.get('metadata', {}).get('name')}"
        custom = CUSTOM_SCHEMAS.get((document.get("apiVersion"), document.get("kind")))
        if custom:
            problems += [f"{name}{p}" for p in validate(document, schemas / custom)]
            continue
        for version in KUBERNETES_VERSIONS:
            try:
                kubernetes_validate.validate(document, version, strict=True)
            except kubernetes_validate.ValidationError as error:
                path = "/".join(str(p) for p in error.path)
                problems.append(f"{name} (Kubernetes {version}) /{path}: {error.message}")
            except kubernetes_validate.SchemaNotFoundError:
                problems.append(f"{name}: no schema for {document.get('apiVersion')} in Kubernetes {version}")
    return problems


def check_workflow_copies(deploy: pathlib.Path, repo: pathlib.Path, report: Report) -> None:
    name = "kubernetes: the workflow ConfigMap equals Workflows/"
    source = repo / "Workflows"
    copies = deploy / "kubernetes" / "base" / "workflows"
    if not source.is_dir():
        report.skip(name, f"no {source} to compare with")
        return
    problems = []
    for copy in sorted(copies.glob("*.yaml")):
        original = source / copy.name
        if not original.is_file():
            problems.append(f"{copy.name}: not in {source}")
        elif original.read_bytes() != copy.read_bytes():
            problems.append(f"{copy.name} differs: cp {original} {copy}")
    for original in sorted(source.glob("*.yaml")):
        if not (copies / original.name).is_file():
            problems.append(f"{original.name} is missing: cp {original} {copies}/")
    report.outcome(name, problems)


def main() -> None:
    deploy = pathlib.Path(sys.argv[1])
    repo = pathlib.Path(sys.argv[2])
    kustomize = sys.argv[3:]
    kubernetes = deploy / "kubernetes"
    schemas = deploy / "checks" / "schemas"
    report = Report()
    targets = {"base": kubernetes / "base", "overlays/demo": kubernetes / "overlays" / "demo"}
    rendered: dict[str, list[dict]] = {}
    for label, folder in targets.items():
        if kustomize:
            documents, error = render(kustomize, folder)
            if error:
                report.fail(f"kubernetes: kustomize renders {label}", [error])
                continue
            report.ok(f"kubernetes: kustomize renders {label}", f"{len(documents)} resources")
            rendered[label] = documents
        else:
            documents = files_on_their_own(folder)
            if label == "base":
                rendered[label] = documents
        problems = validate_documents(documents, schemas)
        how = "rendered" if kustomize else "each file on its own (no kustomize)"
        report.outcome(
            f"kubernetes: {label} validates offline",
            problems,
            f"{len(documents)} resources, {how}, Kubernetes {' and '.join(KUBERNETES_VERSIONS)}",
        )
    examples = [d for d in yaml.safe_load_all((kubernetes / "secrets.example.yaml").read_text()) if d]
    report.outcome("kubernetes: secrets.example.yaml validates offline", validate_documents(examples, schemas))
    if "base" in rendered:
        how = "" if kustomize else "its files with the generated ConfigMaps, without kustomize"
        report.outcome("kubernetes: base keeps its promises", check_base(rendered["base"], examples), how)
    else:
        report.skip("kubernetes: base keeps its promises", "needs the rendered base")
    if "overlays/demo" in rendered:
        report.outcome("kubernetes: demo overlay keeps its promises", check_demo(rendered["overlays/demo"]))
    else:
        report.skip("kubernetes: demo overlay keeps its promises", "needs the rendered overlay")
    check_workflow_copies(deploy, repo, report)
    report.exit()


if __name__ == "__main__":
    main()
