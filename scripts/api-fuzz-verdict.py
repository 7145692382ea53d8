"""Reads a schemathesis JSON report: lists every finding, and fails on the ones the API
must never show: a server error, a status code or content type its OpenAPI document does
not list for the operation, a body that does not parse as what it says it is."""

import json
import sys

# ST101/ST102 server errors; ST103 undocumented status code; ST104/ST105 missing or
# undocumented content type; ST110 a body that does not parse as its content type.
MUST_NOT = {"ST101", "ST102", "ST103", "ST104", "ST105", "ST110"}

report = json.load(open(sys.argv[1]))
tested = report["operations"]["tested"]
cases = report["test_cases"]["generated"]
print(f"{tested} operations, {cases} test cases")
failed = False
for f in report["failures"]:
    bad = f["code"] in MUST_NOT
    failed |= bad
    mark = "FAIL" if bad else "note"
    print(f"  {mark} {f['code']} {f['title']}: {f['count']} ({', '.join(f['operations'][:6])})")
if report["operations"]["tested"] == 0:
    print("no operation was tested")
    failed = True
sys.exit(1 if failed else 0)
