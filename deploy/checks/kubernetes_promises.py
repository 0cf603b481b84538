"""What the rendered manifests must hold beyond their schemas: the properties deploy/README.md
and OPERATIONS.md promise (replicas, rolling updates, probes, drain time, a read-only root
file system, a PostgreSQL cluster of three with backups, ...)."""

# The worker's grace period after SIGTERM (LeveringWorker.Configuration.gracePeriod, 30 s),
# plus time to close the pool: the least terminationGracePeriodSeconds of a worker.
WORKER_DRAIN_SECONDS = 45

# Made out of band (secrets.example.yaml) or by CloudNativePG; everything else a pod mounts
# must be part of the rendering.
EXTERNAL = {"ddas-regie-db-app", "ddas-regie-db-ca"}


def by_kind(documents: list[dict], kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in documents if d.get("kind") == kind}


def pod_spec(workload: dict) -> dict:
    if workload["kind"] == "CronJob":
        return workload["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return workload["spec"]["template"]["spec"]


def check_pod(name: str, spec: dict, problems: list[str]) -> None:
    security = spec.get("securityContext", {})
    if not security.get("runAsNonRoot") or security.get("runAsUser", 0) == 0:
        problems.append(f"{name}: the pod must run as a non-root user")
    if spec.get("automountServiceAccountToken") is not False:
        problems.append(f"{name}: automountServiceAccountToken must be false")
    for container in spec.get("initContainers", []) + spec.get("containers", []):
        label = f"{name}/{container['name']}"
        context = container.get("securityContext", {})
        if context.get("readOnlyRootFilesystem") is not True:
            problems.append(f"{label}: readOnlyRootFilesystem must be true")
        if context.get("allowPrivilegeEscalation") is not False:
            problems.append(f"{label}: allowPrivilegeEscalation must be false")
        if "ALL" not in context.get("capabilities", {}).get("drop", []):
            problems.append(f"{label}: must drop all capabilities")
        resources = container.get("resources", {})
        if "memory" not in resources.get("requests", {}) or "memory" not in resources.get("limits", {}):
            problems.append(f"{label}: needs a memory request and limit")
    mounts = {m["mountPath"] for c in spec.get("containers", []) for m in c.get("volumeMounts", [])}
    if "/tmp" not in mounts:
        problems.append(f"{name}: /tmp must be a volume (the root file system is read-only)")


def check_serving(name: str, deployment: dict, role: str, problems: list[str]) -> None:
    spec = deployment["spec"]
    pod = pod_spec(deployment)
    if spec.get("replicas", 1) < 2:
        problems.append(f"{name}: needs 2 or more replicas")
    if spec.get("strategy", {}).get("type") != "RollingUpdate":
        problems.append(f"{name}: needs a RollingUpdate strategy")
    main = pod["containers"][0]
    if main.get("args", [])[:3] != ["serve", "--role", role]:
        problems.append(f"{name}: must run serve --role {role}, not {main.get('args')}")
    if main.get("readinessProbe", {}).get("httpGet", {}).get("path") != "/health/ready":
        problems.append(f"{name}: readiness must probe /health/ready")
    if main.get("livenessProbe", {}).get("httpGet", {}).get("path") != "/health/live":
        problems.append(f"{name}: liveness must probe /health/live")
    if not any(c.get("args") == ["migrate"] for c in pod.get("initContainers", [])):
        problems.append(f"{name}: needs the migrate init container")
    state = [m for m in main.get("volumeMounts", []) if m["mountPath"] == "/var/lib/ddas-regie"]
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    if not state or "emptyDir" not in volumes.get(state[0]["name"], {}):
        problems.append(f"{name}: the state folder /var/lib/ddas-regie must be an emptyDir")
    check_pod(name, pod, problems)


def referenced(pod: dict) -> set[str]:
    names = set()
    for volume in pod.get("volumes", []):
        names.add(volume.get("secret", {}).get("secretName"))
        names.add(volume.get("configMap", {}).get("name"))
    for container in pod.get("initContainers", []) + pod.get("containers", []):
        for source in container.get("envFrom", []):
            names.add(source.get("configMapRef", {}).get("name"))
            names.add(source.get("secretRef", {}).get("name"))
        for variable in container.get("env", []):
            reference = variable.get("valueFrom", {})
            names.add(reference.get("secretKeyRef", {}).get("name"))
            names.add(reference.get("configMapKeyRef", {}).get("name"))
    return names - {None}


def check_base(documents: list[dict], examples: list[dict]) -> list[str]:
    problems: list[str] = []
    deployments = by_kind(documents, "Deployment")
    for name, role in [("ddas-regie-api", "api"), ("ddas-regie-worker", "worker")]:
        if name not in deployments:
            problems.append(f"Deployment {name} is missing")
        else:
            check_serving(name, deployments[name], role, problems)
    worker = deployments.get("ddas-regie-worker")
    if worker and pod_spec(worker).get("terminationGracePeriodSeconds", 30) < WORKER_DRAIN_SECONDS:
        problems.append(f"ddas-regie-worker: terminationGracePeriodSeconds must be >= {WORKER_DRAIN_SECONDS} (drain time)")
    for name, cronjob in by_kind(documents, "CronJob").items():
        check_pod(name, pod_spec(cronjob), problems)
    if not any(c["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0].get("args") == ["audit", "verify"]
               for c in by_kind(documents, "CronJob").values()):
        problems.append("no CronJob runs audit verify")
    services = by_kind(documents, "Service")
    if services.get("ddas-regie-api", {}).get("spec", {}).get("selector", {}).get("app.kubernetes.io/component") != "api":
        problems.append("Service ddas-regie-api must select the API pods")
    budgets = {b["spec"]["selector"]["matchLabels"].get("app.kubernetes.io/component") for b in by_kind(documents, "PodDisruptionBudget").values()}
    if not {"api", "worker"} <= budgets:
        problems.append("needs a PodDisruptionBudget for the API and for the workers")
    policies = by_kind(documents, "NetworkPolicy").values()
    if not any(set(p["spec"].get("policyTypes", [])) == {"Ingress", "Egress"} and not p["spec"].get("ingress") and not p["spec"].get("egress") for p in policies):
        problems.append("needs a default-deny NetworkPolicy")
    clusters = by_kind(documents, "Cluster")
    cluster = clusters.get("ddas-regie-db")
    if not cluster:
        problems.append("the CloudNativePG Cluster ddas-regie-db is missing")
    else:
        if cluster["spec"].get("instances") != 3:
            problems.append("the PostgreSQL cluster must have 3 instances")
        archivers = [p for p in cluster["spec"].get("plugins") or [] if p.get("isWALArchiver")]
        stores = by_kind(documents, "ObjectStore")
        if not archivers or archivers[0].get("parameters", {}).get("barmanObjectName") not in stores:
            problems.append("the PostgreSQL cluster must archive WAL to a configured ObjectStore")
        if not any(s["spec"]["cluster"]["name"] == "ddas-regie-db" for s in by_kind(documents, "ScheduledBackup").values()):
            problems.append("needs a ScheduledBackup of ddas-regie-db")
    environment = next((c for n, c in by_kind(documents, "ConfigMap").items() if n.startswith("ddas-regie-env")), None)
    url = (environment or {}).get("data", {}).get("DDAS_DATABASE_URL", "")
    if "host=ddas-regie-db-rw" not in url and "," not in url.split("host=")[-1].split()[0]:
        problems.append("DDAS_DATABASE_URL must name the -rw service or several hosts")
    if "target_session_attrs=read-write" not in url or "password" in url:
        problems.append("DDAS_DATABASE_URL must ask for read-write and carry no password")
    generated = {n for d in documents if d.get("kind") in {"ConfigMap", "Secret"} for n in [d["metadata"]["name"]]}
    documented = {d["metadata"]["name"] for d in examples}
    for workload in list(deployments.values()) + list(by_kind(documents, "CronJob").values()):
        for name in referenced(pod_spec(workload)) - generated - EXTERNAL - documented:
            problems.append(f"{workload['metadata']['name']} uses {name}, which is neither rendered nor in secrets.example.yaml")
    return problems


def check_demo(documents: list[dict]) -> list[str]:
    problems: list[str] = []
    out_of_band = {"ddas-regie-signing", "ddas-regie-oauth", "ddas-regie-trust-anchors", "ddas-regie-backup-s3"}
    for name, deployment in by_kind(documents, "Deployment").items():
        pod = pod_spec(deployment)
        if "--demo" not in pod["containers"][0].get("args", []):
            problems.append(f"{name}: the demo runs serve --demo")
        for missing in referenced(pod) & out_of_band:
            problems.append(f"{name}: the demo must not need {missing}")
        check_pod(name, pod, problems)
    if by_kind(documents, "ObjectStore") or by_kind(documents, "ScheduledBackup"):
        problems.append("the demo has no backups (no object store)")
    if any(d["metadata"].get("namespace") != "ddas-regie-demo" for d in documents):
        problems.append("every resource of the demo is in the namespace ddas-regie-demo")
    return problems
