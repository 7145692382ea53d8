"""Validates OCDS release packages with libcoveocds, the Open Contracting validator.

    target/py/bin/python scripts/ocds-validate.py FILE.json [FILE.json ...]

libcoveocds (pin: libcoveocds==0.17.0) reads the OCDS standard from a ZIP of the standard
repository, which it normally downloads from GitHub. Only package registries are reachable
here, so the ZIP is built from the OCDS 1.1 schemas that ship in two packages on PyPI:
the release schema and the versioned-release validation schema (1.1.4) from the ocdsmerge
0.8.0 source distribution, the release-package schema (1.1.5) from the ocdskit 1.7.0 source
distribution. Codelist CSVs are written from the schema itself: the closed codelists from
their `enum`s (so a code outside them is reported), the open ones empty (so codes outside
the standard's lists are reported as notices, not errors).

What fails: any schema validation error (structure, types, formats, required fields,
closed codelists such as release tags and award and contract statuses), any additional
closed-codelist value, a file that is not a release package of version 1.1. What passes
with a notice: additional open-codelist values (our item classification scheme).
"""

import csv
import io
import json
import pathlib
import subprocess
import sys
import tarfile
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
CACHE = ROOT / "target" / "ocds-standard"
TAG = "1__1__5"  # the tag libcoveocds 0.17 uses for OCDS 1.1
SOURCES = {
    "ocdsmerge==0.8.0": {
        "ocdsmerge-0.8.0/tests/fixtures/release-schema-1__1__4.json": "release-schema.json",
        "ocdsmerge-0.8.0/tests/fixtures/versioned-release-validation-schema-1__1__4.json":
            "versioned-release-validation-schema.json",
    },
    "ocdskit==1.7.0": {
        "ocdskit-1.7.0/tests/fixtures/release-package-schema.json": "release-package-schema.json",
    },
}


def codelists(schema):
    """{codelist file name: (open?, codes)} from every `codelist` property of the schema."""
    found = {}

    def walk(node):
        if isinstance(node, dict):
            if "codelist" in node:
                codes = node.get("enum") or (node.get("items") or {}).get("enum") or []
                is_open = node.get("openCodelist", True)
                name = node["codelist"]
                known = found.setdefault(name, (is_open, set()))
                known[1].update(c for c in codes if isinstance(c, str))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return found


def standard_zip():
    target = CACHE / f"standard-{TAG}.zip"
    if target.exists():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    files = {}
    for requirement, wanted in SOURCES.items():
        name, version = requirement.split("==")
        sdists = list(CACHE.glob(f"{name}-{version}.tar.gz"))
        if not sdists:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
                 "--no-deps", "--no-binary", ":all:", "--dest", str(CACHE), requirement],
                check=True,
            )
            sdists = list(CACHE.glob(f"{name}-{version}.tar.gz"))
        with tarfile.open(sdists[0]) as tar:
            for member, as_name in wanted.items():
                files[as_name] = tar.extractfile(member).read()
    release = json.loads(files["release-schema.json"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        top = f"standard-{TAG}/"
        z.writestr(top, b"")
        for as_name, data in files.items():
            z.writestr(f"{top}schema/{as_name}", data)
        for name, (_, codes) in sorted(codelists(release).items()):
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(["Code", "Title", "Description"])
            for code in sorted(codes):
                writer.writerow([code, code, ""])
            z.writestr(f"{top}schema/codelists/{name}", out.getvalue())
    target.write_bytes(buffer.getvalue())
    return target


def validate(path, zip_path):
    from libcoveocds.api import ocds_json_output
    from libcoveocds.config import LibCoveOCDSConfig

    config = LibCoveOCDSConfig()
    config.config["standard_zip"] = f"file://{zip_path}"
    config.config["context"] = "api"
    data = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    problems = []
    if not isinstance(data, dict) or "releases" not in data:
        return [f"{path}: not a release package"]
    if data.get("version") != "1.1":
        problems.append(f"{path}: version is {data.get('version')!r}, not '1.1'")
    result = ocds_json_output("", path, None, json_data=data, lib_cove_ocds_config=config)
    for error in result.get("validation_errors", []):
        if isinstance(error, dict):
            problems.append(f"{path}: {error.get('description')} at {error.get('path')}: {error.get('value')!r}")
        else:
            problems.append(f"{path}: {error}")
    for key, value in (result.get("additional_closed_codelist_values") or {}).items():
        problems.append(f"{path}: closed codelist {value.get('codelist')}: {value.get('values')} at {key}")
    releases = len(data["releases"])
    notices = sorted((result.get("additional_open_codelist_values") or {}).keys())
    print(f"{path}: {releases} releases, {len(problems)} problems"
          + (f"; notice: open codelist values at {', '.join(notices)}" if notices else ""))
    if releases == 0:
        problems.append(f"{path}: no releases")
    return problems


def main(paths):
    if not paths:
        print(__doc__)
        return 2
    zip_path = standard_zip()
    problems = []
    for path in paths:
        problems.extend(validate(path, zip_path))
    for p in problems:
        print("  " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
