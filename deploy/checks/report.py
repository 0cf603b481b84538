"""One line per check: `ok`, `FAIL` (with the reasons indented below it) or `skip`."""

import sys


class Report:
    """Collects the outcome of each check and prints it as it comes."""

    def __init__(self) -> None:
        self.failures = 0

    def ok(self, name: str, detail: str = "") -> None:
        print(f"ok    {name}" + (f": {detail}" if detail else ""), flush=True)

    def skip(self, name: str, why: str) -> None:
        print(f"skip  {name}: {why}", flush=True)

    def fail(self, name: str, problems: list[str]) -> None:
        self.failures += 1
        print(f"FAIL  {name}", flush=True)
        for problem in problems:
            print(f"        {problem}", flush=True)

    def outcome(self, name: str, problems: list[str], detail: str = "") -> None:
        if problems:
            self.fail(name, problems)
        else:
            self.ok(name, detail)

    def exit(self) -> None:
        sys.exit(1 if self.failures else 0)
