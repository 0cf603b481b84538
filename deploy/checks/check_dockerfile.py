"""deploy/Dockerfile against a checklist (it runs whether or not hadolint is at hand):
multi-stage, pinned base images, no ADD of URLs, apt with --no-install-recommends and cleaned
lists, a release build with the static Swift standard library, a final stage that runs as a
non-root user with a HEALTHCHECK and holds no toolchain and no sources, the service's files
where DDAS_RESOURCES_DIR points.

Usage: check_dockerfile.py DOCKERFILE
"""

import pathlib
import re
import shlex
import sys

from report import Report

BUILD_TOOLS = re.compile(r"\b(swift|swiftc|gcc|g\+\+|clang|make|build-essential|libpq-dev|pkg-config)\b")


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    result, current = [], ""
    for line in text.splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if current and stripped.startswith("#"):
            continue
        current += " " + stripped.rstrip("\\").strip() if current else stripped.rstrip("\\").strip()
        if not stripped.endswith("\\"):
            keyword, _, arguments = current.partition(" ")
            result.append((keyword.upper(), arguments.strip()))
            current = ""
    return result


def stages(parsed: list[tuple[str, str]]) -> list[dict]:
    found: list[dict] = []
    for keyword, arguments in parsed:
        if keyword == "FROM":
            words = arguments.split()
            name = words[2] if len(words) > 2 and words[1].upper() == "AS" else None
            found.append({"image": words[0], "name": name, "body": []})
        elif found:
            found[-1]["body"].append((keyword, arguments))
    return found


def check(text: str) -> list[str]:
    problems: list[str] = []
    parsed = instructions(text)
    found = stages(parsed)
    names = {s["name"] for s in found}
    if len(found) < 2:
        problems.append("must be a multi-stage build")
    for stage in found:
        image = stage["image"]
        if image in names:
            continue
        if "@sha256:" not in image and (":" not in image or image.endswith(":latest")):
            problems.append(f"base image {image} must be pinned to a tag or digest")
    for keyword, arguments in parsed:
        if keyword == "ADD" and re.search(r"https?://", arguments):
            problems.append(f"ADD of a URL: {arguments}")
        if keyword == "RUN" and "apt-get install" in arguments:
            if "--no-install-recommends" not in arguments:
                problems.append("apt-get install without --no-install-recommends")
            if "rm -rf /var/lib/apt/lists" not in arguments:
                problems.append("apt-get install without removing /var/lib/apt/lists in the same RUN")
        if keyword == "RUN" and "swift build" in arguments:
            if "-c release" not in arguments or "--static-swift-stdlib" not in arguments:
                problems.append("swift build must be a release build with --static-swift-stdlib")
    final = found[-1] if found else {"body": [], "name": None, "image": ""}
    lineage, stage = [final], final
    while stage["image"] in names:
        stage = next(s for s in found if s["name"] == stage["image"])
        lineage.append(stage)
    body = [item for s in reversed(lineage) for item in s["body"]]
    users = [arguments for keyword, arguments in body if keyword == "USER"]
    if not users or users[-1].split(":")[0] in {"root", "0"}:
        problems.append("the final image must run as a non-root USER")
    checks = [arguments for keyword, arguments in body if keyword == "HEALTHCHECK"]
    if not checks or checks[-1].upper().startswith("NONE"):
        problems.append("the final image needs a HEALTHCHECK")
    for keyword, arguments in body:
        if keyword in {"COPY", "ADD"} and "--from=" not in arguments:
            sources = shlex.split(arguments)[:-1]
            if any(s in {".", "./", "Sources", "Tests", "Package.swift"} for s in sources):
                problems.append(f"the final image must not hold sources: {keyword} {arguments}")
        if keyword == "RUN" and "apt-get install" in arguments and BUILD_TOOLS.search(arguments.split("apt-get install", 1)[1]):
            problems.append(f"the final image must not hold build tools: {arguments}")
    copied = " ".join(arguments for keyword, arguments in body if keyword == "COPY")
    for folder in ["Migrations", "Workflows", "Data", "Exchange"]:
        if f"{folder} /opt/ddas-regie/{folder}" not in copied:
            problems.append(f"the final image must hold {folder}/ in /opt/ddas-regie")
    environment = " ".join(arguments for keyword, arguments in body if keyword == "ENV")
    if "DDAS_RESOURCES_DIR=/opt/ddas-regie" not in environment:
        problems.append("DDAS_RESOURCES_DIR must point at /opt/ddas-regie")
    for variable in ["libpq5", "ca-certificates"]:
        if not any(keyword == "RUN" and variable in arguments for keyword, arguments in body):
            problems.append(f"the final image must install {variable}")
    return problems


def main() -> None:
    path = pathlib.Path(sys.argv[1])
    report = Report()
    report.outcome("dockerfile: checklist (multi-stage, pinned, non-root, HEALTHCHECK, no build tools)",
                   check(path.read_text()))
    report.exit()


if __name__ == "__main__":
    main()
