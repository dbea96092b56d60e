"""Builds tiny pure-Python wheels offline (no PyPI, no build backend) for the exporter tests.

Usage: python3 make_wheels.py OUT_DIR NAME==VERSION [NAME==VERSION ...]

Each wheel holds one module named after the project and valid METADATA/WHEEL/RECORD files, so
pip installs it with --no-index. OUT_DIR also gets a PEP 503 "simple" index (simple/<name>/),
with #sha256= fragments, that a package index client can be pointed at.
"""

import base64
import hashlib
import html
import re
import sys
import zipfile
from pathlib import Path


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode()


def build_wheel(out_dir: Path, name: str, version: str) -> Path:
    module = normalize(name).replace("-", "_")
    dist_info = f"{module}-{version}.dist-info"
    files = {
        f"{module}/__init__.py": f'__version__ = "{version}"\n'.encode(),
        f"{dist_info}/METADATA": (
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
            f"Summary: Stowage exporter test fixture\nRequires-Python: >=3.8\n"
        ).encode(),
        f"{dist_info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: make_wheels.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record_lines = [f"{path},{record_hash(data)},{len(data)}" for path, data in files.items()]
    record_lines.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = ("\n".join(record_lines) + "\n").encode()
    wheel = out_dir / f"{module}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return wheel


def write_simple_index(out_dir: Path, wheels: dict) -> None:
    simple = out_dir / "simple"
    links = []
    for project, wheel in wheels.items():
        sha = hashlib.sha256(wheel.read_bytes()).hexdigest()
        page = simple / project
        page.mkdir(parents=True, exist_ok=True)
        href = f"../../{wheel.name}#sha256={sha}"
        (page / "index.html").write_text(
            f'<!DOCTYPE html><html><body><a href="{html.escape(href)}">{wheel.name}</a></body></html>\n'
        )
        links.append(f'<a href="{project}/">{project}</a>')
    (simple / "index.html").write_text("<!DOCTYPE html><html><body>" + "".join(links) + "</body></html>\n")


def main(argv: list) -> None:
    out_dir = Path(argv[0])
    out_dir.mkdir(parents=True, exist_ok=True)
    wheels = {}
    for spec in argv[1:]:
        name, version = spec.split("==")
        wheels[normalize(name)] = build_wheel(out_dir, name, version)
    write_simple_index(out_dir, wheels)


if __name__ == "__main__":
    main(sys.argv[1:])
