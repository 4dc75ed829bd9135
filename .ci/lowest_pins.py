"""Print the lowest version pyproject.toml allows of each dependency s2sad runs with
(``name==version``, with its environment marker), for ``make test-lowest``. The test tools
are left to the newest."""

import re
import sys

try:
    import tomllib
except ImportError:  # Python 3.10
    tomllib = None


def requirements(path: str = "pyproject.toml") -> list[str]:
    if tomllib is not None:
        with open(path, "rb") as handle:
            project = tomllib.load(handle)["project"]
        return project["dependencies"] + project["optional-dependencies"]["scipy"]
    text = open(path).read()  # the two lists are one line each
    found = []
    for key in (r"^dependencies", r"^scipy"):
        line = re.search(key + r" = \[(.*)\]$", text, re.M).group(1)
        found += re.findall(r'"([^"]+)"', line)
    return found


def lowest(requirement: str) -> str:
    spec, _, marker = requirement.partition(";")
    match = re.match(r"\s*([A-Za-z0-9_.-]+)\s*.*?>=\s*([0-9][0-9.]*)", spec)
    if match is None:
        sys.exit(f"no lower bound in {requirement!r}")
    pin = f"{match.group(1)}=={match.group(2)}"
    return f"{pin}; {marker.strip()}" if marker.strip() else pin


if __name__ == "__main__":
    for requirement in requirements():
        print(lowest(requirement))
