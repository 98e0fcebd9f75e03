"""Open311 GeoReport v2 conformance check of any server, ours or another city's:

    .venv/bin/python bench/open311_conformance.py https://example.gov.eg/open311/v2/ [--jurisdiction ID]

It asks what the published validators ask — discovery, services, a service definition, requests, one
request and the FixMyStreet updates, each in XML and in JSON — and checks every answer: its content
type, the JSON against the schemas of tests/complaints/data/open311/, the XML well formed with the
standard's element names; then the refusals (an unknown service_code or id, a bad date, a window that
ends before it starts, a POST without api_key, an unknown format) in the standard's error shape.

It creates nothing: its only POST carries neither api_key nor any field. Needs requests and jsonschema
(the project's virtualenv has both). Exit status 1 if any check fails; a warning (an optional endpoint
missing, a refusal with another 4xx than expected) does not fail.
"""

import argparse
import sys
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.complaints.open311_checks import conformance  # noqa: E402

MARKS = {"pass": "ok  ", "warn": "warn", "fail": "FAIL"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="the endpoint's root, e.g. https://example.gov.eg/open311/v2/")
    parser.add_argument("--jurisdiction", default="", help="jurisdiction_id to send with every call")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per call (default 20)")
    args = parser.parse_args()
    root = args.url if args.url.endswith("/") else f"{args.url}/"
    session = requests.Session()
    session.headers["User-Agent"] = "open311-conformance (citizen service centers)"

    def fetch(method: str, path: str, params: dict):
        if args.jurisdiction:
            params = {**params, "jurisdiction_id": args.jurisdiction}
        try:
            if method == "GET":
                response = session.get(root + path, params=params, timeout=args.timeout)
            else:
                response = session.post(root + path, data=params, timeout=args.timeout)
        except requests.RequestException as error:
            print(f"     {method} {path}: {error}", file=sys.stderr)
            return 599, "", b""
        return response.status_code, response.headers.get("Content-Type", ""), response.content

    results = conformance(fetch)
    for result in results:
        print(f"{MARKS[result.level]} {result.check}" + (f" — {result.detail}" if result.detail else ""))
    counts = {level: sum(r.level == level for r in results) for level in MARKS}
    print(f"\n{counts['pass']} passed, {counts['warn']} warnings, {counts['fail']} failed — {root}")
    return 1 if counts["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
