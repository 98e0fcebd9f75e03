"""Verify an issued document's QR without the server or the database.

    python -m documents.offline fetch https://csc.example.gov.eg --cache ~/.csc-verify
    python -m documents.offline verify 'HTTPS://CSC.EXAMPLE.GOV.EG/V/2KCE…' --cache ~/.csc-verify
    python -m documents.offline verify '…' --cache ~/.csc-verify --national-id 28506121401234

``fetch`` keeps the published public keys (/verify/keys.json) and the signed revocation lists
(/verify/status/<n>.cose) in the cache folder; ``verify`` needs nothing else. It checks the signature
against the cached keys and the document's bit in the cached list, which holds until the time the list
itself names (DOCUMENT_STATUS_MAX_AGE after it was published, a day by default): an older list cannot
say the document still holds, and the verdict says so. It prints the same verdict as /verify/ and exits
0 genuine and valid, 1 expired, 2 revoked, 3 not ours or altered, 4 revocation not checked.

Only the standard library, ``cryptography`` and ``cbor2``: no Django, no database.
"""

import argparse
import json
import sys
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from documents import codec

CAIRO = ZoneInfo("Africa/Cairo")  # validity dates are Cairo dates, as the server reads them
EXIT_CODES = {
    codec.Verdict.VALID: 0,
    codec.Verdict.EXPIRED: 1,
    codec.Verdict.REVOKED: 2,
    codec.Verdict.NOT_OURS: 3,
    codec.Verdict.STATUS_UNKNOWN: 4,
}
VERDICT_TEXT = {
    codec.Verdict.VALID: "مستند صحيح وساري — genuine and valid",
    codec.Verdict.EXPIRED: "مستند صحيح لكن انتهت صلاحيته — genuine but expired",
    codec.Verdict.REVOKED: "مستند ملغى — revoked",
    codec.Verdict.NOT_OURS: "ليس صادرًا عنا أو جرى تعديله — not issued by us, or altered",
    codec.Verdict.STATUS_UNKNOWN: "مستند صحيح، ولم يُتحقق من إلغائه: حدّث قائمة الإلغاء — genuine; "
    "revocation not checked (refresh the revocation list)",
}


def _get(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise


def fetch(base_url: str, cache: Path) -> list[str]:
    """Keys and every revocation list of ``base_url`` into ``cache``; the files written."""
    base = base_url.rstrip("/")
    cache.mkdir(parents=True, exist_ok=True)
    keys = _get(f"{base}/verify/keys.json")
    if keys is None:
        raise SystemExit(f"{base}/verify/keys.json: not found")
    parsed = codec.keys_from_document(json.loads(keys))
    (cache / "keys.json").write_bytes(keys)
    written = ["keys.json"]
    number = 0
    while (signed := _get(f"{base}/verify/status/{number}.cose")) is not None:
        codec.status_list_open(signed, parsed)  # refuse to cache a list that is not ours
        (cache / f"status-{number}.cose").write_bytes(signed)
        written.append(f"status-{number}.cose")
        number += 1
    return written


def verify(text: str, cache: Path, *, now: datetime, national_id: str = "") -> tuple[codec.Verdict, dict]:
    """The verdict on a QR's text, from the cache alone, and what the QR says of the document."""
    try:
        keys = codec.keys_from_document(json.loads((cache / "keys.json").read_bytes()))
    except FileNotFoundError as exc:
        raise SystemExit(f"{cache}: no keys.json — run `fetch` first") from exc
    try:
        _, claims = codec.payload_open(codec.transport_decode(text), keys)
    except codec.Rejected as exc:
        return codec.Verdict.NOT_OURS, {"reason": str(exc)}
    revoked = None
    list_file = cache / f"status-{claims.status_list}.cose"
    status = None
    if list_file.exists():
        try:
            status = codec.status_list_open(list_file.read_bytes(), keys)
        except codec.Rejected:
            status = None
    if status is not None and status.number == claims.status_list and now <= status.valid_until:
        revoked = status.is_revoked(claims.status_index)
    verdict = codec.verdict_of(claims, today=now.astimezone(CAIRO).date(), revoked=revoked)
    facts = {
        "number": claims.number,
        "kind": claims.kind,
        "issuer": claims.issuer,
        "issued_on": claims.issued_on.isoformat(),
        "valid_until": claims.valid_until.isoformat() if claims.valid_until else "",
        "revocation list of": status.issued_at.isoformat() if status else "",
    }
    if national_id:
        facts["holder"] = "matches" if claims.holds_for(national_id) else "DOES NOT MATCH"
    return verdict, facts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m documents.offline", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    fetching = commands.add_parser("fetch", help="cache the public keys and revocation lists of a server")
    fetching.add_argument("base_url")
    fetching.add_argument("--cache", type=Path, required=True)
    checking = commands.add_parser("verify", help="verify a QR's text (or the address it opens)")
    checking.add_argument("qr_text")
    checking.add_argument("--cache", type=Path, required=True)
    checking.add_argument("--national-id", default="", help="check that the document is the holder's")
    checking.add_argument("--now", type=datetime.fromisoformat, help="ISO date-time (default: now)")
    args = parser.parse_args(argv)
    if args.command == "fetch":
        for name in fetch(args.base_url, args.cache):
            print(f"cached {name}")
        return 0
    now = args.now or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    verdict, facts = verify(args.qr_text, args.cache, now=now, national_id=args.national_id)
    print(VERDICT_TEXT[verdict])
    for key, value in facts.items():
        if value:
            print(f"  {key}: {value}")
    if verdict != codec.Verdict.NOT_OURS:
        # A genuine QR proves its own content only: it could be stuck on another paper.
        print("  قارن رقم المستند بالورقة، وتحقق من صاحبه ببطاقته (--national-id)")
        print("  compare the number with the paper, and the holder with their card (--national-id)")
    return EXIT_CODES[verdict]


if __name__ == "__main__":
    sys.exit(main())
