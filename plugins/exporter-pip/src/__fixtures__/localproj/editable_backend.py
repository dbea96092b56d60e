"""A minimal PEP 517/660 build backend: just enough for `pip install -e .` offline.

The editable wheel holds a .pth file that puts this folder on sys.path, which is what
setuptools' editable installs do for a flat layout.
"""

import base64
import hashlib
import os
import zipfile

NAME = "localproj"
VERSION = "0.1.0"
DIST_INFO = f"{NAME}-{VERSION}.dist-info"
METADATA = f"Metadata-Version: 2.1\nName: {NAME}\nVersion: {VERSION}\n"
WHEEL = "Wheel-Version: 1.0\nGenerator: editable_backend\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


def _hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _write_wheel(directory: str, files: dict) -> str:
    files = {path: data.encode() for path, data in files.items()}
    record = [f"{path},{_hash(data)},{len(data)}" for path, data in files.items()]
    files[f"{DIST_INFO}/RECORD"] = ("\n".join(record + [f"{DIST_INFO}/RECORD,,"]) + "\n").encode()
    name = f"{NAME}-{VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(directory, name), "w") as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return name


def _metadata_files() -> dict:
    return {f"{DIST_INFO}/METADATA": METADATA, f"{DIST_INFO}/WHEEL": WHEEL}


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    source = open(os.path.join(os.path.dirname(__file__), NAME, "__init__.py")).read()
    return _write_wheel(wheel_directory, {f"{NAME}/__init__.py": source, **_metadata_files()})


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    here = os.path.dirname(os.path.abspath(__file__))
    return _write_wheel(wheel_directory, {f"__editable__.{NAME}.pth": here + "\n", **_metadata_files()})
