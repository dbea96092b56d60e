#!/usr/bin/env python3
"""Build the tiny pure-Python demo wheels and a PEP 503 "simple" index.

Usage: make_wheels.py OUTDIR

Writes OUTDIR/wheels/*.whl and OUTDIR/simple/ (index.html + one page per
project, links carry #sha256=). Uses only the standard library (zipfile, no
setuptools/wheel, so it runs offline with any python3 >= 3.8). The output is
byte-identical on every run: fixed zip timestamps and permissions, sorted
entries, and files are only rewritten when their content changes (so a running
index server never sees a half-written file on a re-run).

Projects:
  stowage-demo-core      1.0.0, 1.1.0  module stowage_demo_core, greet(name)
  stowage-demo-features  1.0.0         module stowage_demo_features, features(xs);
                                       requires stowage-demo-core>=1.0
  stowage-demo-cli       1.0.0         module stowage_demo_cli, console script
                                       `stowage-demo` printing one JSON line;
                                       requires both of the above
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import os
import re
import sys
import zipfile

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest timestamp zip can store
GENERATOR = "stowage-e2e-make_wheels (1.0)"


def normalize(name: str) -> str:
    """PEP 503 name normalization."""
    return re.sub(r"[-_.]+", "-", name).lower()


def dist_name(name: str) -> str:
    """Wheel filename / .dist-info escaping (PEP 427 / binary distribution format)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def core_init(version: str) -> str:
    # 1.1.0 changes the greeting so a test can tell which pin got installed.
    punct = "!" if version == "1.1.0" else ""
    return f'''"""stowage-demo-core {version} (e2e test fixture)."""

__version__ = "{version}"


def greet(name):
    return "hello, " + str(name) + "{punct}"
'''


FEATURES_INIT = '''"""stowage-demo-features 1.0.0 (e2e test fixture)."""

__version__ = "1.0.0"


def features(xs):
    xs = [float(x) for x in xs]
    n = len(xs)
    total = sum(xs)
    return {
        "count": n,
        "sum": total,
        "mean": (total / n) if n else None,
        "min": min(xs) if n else None,
        "max": max(xs) if n else None,
    }
'''

CLI_INIT = '''"""stowage-demo-cli 1.0.0 (e2e test fixture)."""

__version__ = "1.0.0"
'''

CLI_MAIN = '''import json
import platform
import sys

import stowage_demo_core
import stowage_demo_features

from . import __version__


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    name = argv[0] if argv else "stowage"
    print(json.dumps({
        "app": "stowage-demo",
        "greeting": stowage_demo_core.greet(name),
        "features": stowage_demo_features.features([1, 2, 3, 4]),
        "versions": {
            "cli": __version__,
            "core": stowage_demo_core.__version__,
            "features": stowage_demo_features.__version__,
        },
        "python": platform.python_version(),
    }, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
'''

PROJECTS = [
    {
        "name": "stowage-demo-core",
        "version": "1.0.0",
        "summary": "Stowage e2e demo: core greeting",
        "files": {"stowage_demo_core/__init__.py": core_init("1.0.0")},
        "requires": [],
        "console_scripts": {},
    },
    {
        "name": "stowage-demo-core",
        "version": "1.1.0",
        "summary": "Stowage e2e demo: core greeting",
        "files": {"stowage_demo_core/__init__.py": core_init("1.1.0")},
        "requires": [],
        "console_scripts": {},
    },
    {
        "name": "stowage-demo-features",
        "version": "1.0.0",
        "summary": "Stowage e2e demo: feature summary",
        "files": {"stowage_demo_features/__init__.py": FEATURES_INIT},
        "requires": ["stowage-demo-core>=1.0"],
        "console_scripts": {},
    },
    {
        "name": "stowage-demo-cli",
        "version": "1.0.0",
        "summary": "Stowage e2e demo: console script printing one JSON line",
        "files": {
            "stowage_demo_cli/__init__.py": CLI_INIT,
            "stowage_demo_cli/__main__.py": CLI_MAIN,
        },
        "requires": ["stowage-demo-core>=1.0", "stowage-demo-features>=1.0"],
        "console_scripts": {"stowage-demo": "stowage_demo_cli.__main__:main"},
    },
]


def record_hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def build_wheel(p: dict) -> tuple[str, bytes]:
    name, version = p["name"], p["version"]
    dn = dist_name(name)
    info = f"{dn}-{version}.dist-info"
    metadata = [
        "Metadata-Version: 2.1",
        f"Name: {name}",
        f"Version: {version}",
        f"Summary: {p['summary']}",
        "License: Apache-2.0",
        "Requires-Python: >=3.8",
    ]
    metadata += [f"Requires-Dist: {r}" for r in p["requires"]]
    files: dict[str, bytes] = {k: v.encode() for k, v in p["files"].items()}
    files[f"{info}/METADATA"] = ("\n".join(metadata) + "\n").encode()
    files[f"{info}/WHEEL"] = (
        "Wheel-Version: 1.0\n"
        f"Generator: {GENERATOR}\n"
        "Root-Is-Purelib: true\n"
        "Tag: py3-none-any\n"
    ).encode()
    top = sorted({k.split("/", 1)[0] for k in p["files"]})
    files[f"{info}/top_level.txt"] = ("\n".join(top) + "\n").encode()
    if p["console_scripts"]:
        lines = ["[console_scripts]"]
        lines += [f"{k} = {v}" for k, v in sorted(p["console_scripts"].items())]
        files[f"{info}/entry_points.txt"] = ("\n".join(lines) + "\n").encode()

    record_path = f"{info}/RECORD"
    record = [f"{path},{record_hash(data)},{len(data)}" for path, data in sorted(files.items())]
    record.append(f"{record_path},,")
    files[record_path] = ("\n".join(record) + "\n").encode()

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        # Package files first, .dist-info last (RECORD last of all), as wheel tools do.
        order = sorted(files, key=lambda k: (k.startswith(info), k == record_path, k))
        for path in order:
            zi = zipfile.ZipInfo(path, date_time=ZIP_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = (0o100644 & 0xFFFF) << 16
            zi.create_system = 3  # unix, so the permission bits are honoured
            zf.writestr(zi, files[path])
    return f"{dn}-{version}-py3-none-any.whl", buf.getvalue()


def write_if_changed(path: str, data: bytes) -> bool:
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return False
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    return True


def page(title: str, links: list[tuple[str, str]]) -> bytes:
    body = "\n".join(f'    <a href="{html.escape(href)}">{html.escape(text)}</a><br/>' for href, text in links)
    return (
        "<!DOCTYPE html>\n<html>\n  <head>\n"
        '    <meta name="pypi:repository-version" content="1.0">\n'
        f"    <title>{html.escape(title)}</title>\n  </head>\n  <body>\n"
        f"    <h1>{html.escape(title)}</h1>\n{body}\n  </body>\n</html>\n"
    ).encode()


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = os.path.abspath(argv[1])
    changed = 0
    by_project: dict[str, list[tuple[str, str]]] = {}
    for p in PROJECTS:
        fname, data = build_wheel(p)
        changed += write_if_changed(os.path.join(out, "wheels", fname), data)
        sha = hashlib.sha256(data).hexdigest()
        by_project.setdefault(normalize(p["name"]), []).append(
            (f"../../wheels/{fname}#sha256={sha}", fname)
        )
    root_links = []
    for proj in sorted(by_project):
        links = sorted(by_project[proj], key=lambda l: l[1])
        changed += write_if_changed(
            os.path.join(out, "simple", proj, "index.html"), page(f"Links for {proj}", links)
        )
        root_links.append((f"{proj}/", proj))
    changed += write_if_changed(os.path.join(out, "simple", "index.html"), page("Simple index", root_links))
    n = len(PROJECTS)
    print(f"[e2e] pyindex: {n} wheels for {len(by_project)} projects in {out} ({changed} files written)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
