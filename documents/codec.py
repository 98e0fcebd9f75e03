"""The signed QR payload of an issued document and the signed revocation list, and the verdict on them.

Pure Python on ``cryptography`` and ``cbor2`` only — no Django — so the server and the offline verifier
(``python -m documents.offline``) run exactly the same checks.

**Payload.** A COSE_Sign1 structure (RFC 9052, CBOR tag 18) signed with Ed25519 (alg -8). The protected
header holds the algorithm and the key id (4 bytes of the SHA-256 of the raw public key), so keys can be
rotated and several be valid at once. The signed content is a CBOR map with small integer keys:

====  ==========================================================================================
 1    issuer code (the issuing center, e.g. "BNH")
 2    kind of document (e.g. "PRM")
 3    serial number in the issuer's kind and year
 4    issue date, days since 1970-01-01 (its year completes the number: BNH-PRM-2026-000045)
 5    end of validity, days since 1970-01-01 (absent: no end)
 6    index in the revocation list (list = index // LIST_SIZE, bit = index % LIST_SIZE)
 7    holder digest: scrypt(national ID, salt; N=2^14, r=8, p=1), 10 bytes — the holder's card can be
      checked against it offline, yet the ID is not in the QR. A national ID has little entropy (a
      birth date, a governorate, a serial), so a fast hash of it could be reversed by trying them all;
      scrypt makes each try cost ~50 ms and 16 MiB
 8    details digest: SHA-256(salt ‖ the printed details as canonical JSON), first 10 bytes — the
      holder's name and the Arabic text on the paper, covered by the signature without taking room
 9    salt, 8 random bytes of this document
====  ==========================================================================================

**Transport.** RFC 4648 Base32 without padding, after a verification URL in capitals
(``HTTPS://HOST/V/…``): every character is in the QR code's alphanumeric set, which packs 5.5 bits per
character where Arabic or lower case would force byte mode (8 bits), and the QR is a link a phone opens.
Base45 (as the EU Digital COVID Certificate uses) is 7% denser but holds a space and "%", which cannot
stand in a URL.

**Revocation list.** A bitstring of LIST_SIZE entries (a verifier fetching it reveals nothing of which
document it checks), zlib-compressed inside a COSE_Sign1 whose content also says when it was issued and
until when it may be relied on; a set bit means revoked.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

COSE_SIGN1_TAG = 18
ALG_EDDSA = -8
HEADER_ALG, HEADER_KID = 1, 4
LIST_SIZE = 131_072
DIGEST_BYTES = 10
SALT_BYTES = 8
EPOCH = date(1970, 1, 1)
QR_PATH = "/V/"


class Verdict(StrEnum):
    VALID = "valid"  # genuine and valid
    EXPIRED = "expired"  # genuine but past its validity
    REVOKED = "revoked"
    NOT_OURS = "not_ours"  # not issued by us, or tampered with
    STATUS_UNKNOWN = "status_unknown"  # genuine, but no fresh revocation list to say if it still holds


class Rejected(Exception):
    """The payload is not one of ours (bad encoding, unknown key, bad signature, missing fields)."""


# ---- keys ------------------------------------------------------------------------------------------


def key_id(public_key: Ed25519PublicKey) -> bytes:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).digest()[:4]


def public_key_raw(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_from_raw(raw: bytes) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(raw)


def private_key_from_pem(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the document signing key must be an Ed25519 key")
    return key


def private_key_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def keys_document(keys: dict[bytes, Ed25519PublicKey]) -> dict:
    """The published keys (/verify/keys.json), as JSON Web Keys (RFC 8037) with their key ids."""
    return {
        "keys": [
            {
                "kty": "OKP",
                "crv": "Ed25519",
                "alg": "EdDSA",
                "kid": kid.hex(),
                "x": base64.urlsafe_b64encode(public_key_raw(key)).rstrip(b"=").decode(),
            }
            for kid, key in sorted(keys.items())
        ]
    }


def keys_from_document(document: dict) -> dict[bytes, Ed25519PublicKey]:
    keys = {}
    for jwk in document.get("keys", []):
        raw = base64.urlsafe_b64decode(jwk["x"] + "=" * (-len(jwk["x"]) % 4))
        key = public_key_from_raw(raw)
        if key_id(key).hex() != jwk["kid"]:
            raise ValueError(f"key {jwk['kid']}: the id does not match the key")
        keys[bytes.fromhex(jwk["kid"])] = key
    return keys


# ---- COSE_Sign1 --------------------------------------------------------------------------------------


def _sig_structure(protected: bytes, payload: bytes) -> bytes:
    return cbor2.dumps(["Signature1", protected, b"", payload])


def cose_sign(key: Ed25519PrivateKey, content: bytes) -> bytes:
    protected = cbor2.dumps({HEADER_ALG: ALG_EDDSA, HEADER_KID: key_id(key.public_key())})
    signature = key.sign(_sig_structure(protected, content))
    return cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, [protected, {}, content, signature]))


def cose_open(message: bytes, keys: dict[bytes, Ed25519PublicKey]) -> tuple[bytes, bytes]:
    """(key id, signed content) of a COSE_Sign1 signed by one of ``keys``; Rejected otherwise."""
    stream = io.BytesIO(message)
    try:
        tagged = cbor2.CBORDecoder(stream).decode()
    except Exception as exc:  # cbor2 raises several kinds on garbage
        raise Rejected("not CBOR") from exc
    if stream.tell() != len(message):
        raise Rejected("bytes after the message")
    if not isinstance(tagged, cbor2.CBORTag) or tagged.tag != COSE_SIGN1_TAG:
        raise Rejected("not a COSE_Sign1")
    parts = tagged.value
    if not (
        isinstance(parts, list | tuple)
        and len(parts) == 4
        and all(isinstance(parts[i], bytes) for i in (0, 2, 3))
    ):
        raise Rejected("malformed COSE_Sign1")
    protected, _, content, signature = parts
    try:
        header = cbor2.loads(protected)
    except Exception as exc:
        raise Rejected("malformed header") from exc
    if not isinstance(header, dict) or header.get(HEADER_ALG) != ALG_EDDSA:
        raise Rejected("unsupported algorithm")
    kid = header.get(HEADER_KID)
    if not isinstance(kid, bytes) or kid not in keys:
        raise Rejected("unknown key")
    try:
        keys[kid].verify(signature, _sig_structure(protected, content))
    except InvalidSignature as exc:
        raise Rejected("bad signature") from exc
    return kid, content


# ---- document payload --------------------------------------------------------------------------------


def digest(salt: bytes, value: str) -> bytes:
    return hashlib.sha256(salt + value.encode()).digest()[:DIGEST_BYTES]


def holder_hash(salt: bytes, national_id: str) -> bytes:
    """Slow on purpose (see the module's docstring): one check costs a verifier nothing, trying every
    possible national ID costs years."""
    return hashlib.scrypt(national_id.encode(), salt=salt, n=2**14, r=8, p=1, dklen=DIGEST_BYTES)


def canonical(details: dict) -> str:
    """The printed details as one string: the same data always gives the same digest."""
    return json.dumps(details, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class Claims:
    issuer: str
    kind: str
    serial: int
    issued_on: date
    valid_until: date | None
    status_index: int
    holder_digest: bytes
    details_digest: bytes
    salt: bytes

    @property
    def number(self) -> str:
        return document_number(self.issuer, self.kind, self.issued_on.year, self.serial)

    @property
    def status_list(self) -> int:
        return self.status_index // LIST_SIZE

    def holds_for(self, national_id: str) -> bool:
        return holder_hash(self.salt, national_id) == self.holder_digest

    def describes(self, details: dict) -> bool:
        return digest(self.salt, canonical(details)) == self.details_digest


def document_number(issuer: str, kind: str, year: int, serial: int) -> str:
    return f"{issuer}-{kind}-{year}-{serial:06d}"


def claims_encode(claims: Claims) -> bytes:
    content = {
        1: claims.issuer,
        2: claims.kind,
        3: claims.serial,
        4: (claims.issued_on - EPOCH).days,
        6: claims.status_index,
        7: claims.holder_digest,
        8: claims.details_digest,
        9: claims.salt,
    }
    if claims.valid_until is not None:
        content[5] = (claims.valid_until - EPOCH).days
    return cbor2.dumps(dict(sorted(content.items())))


def claims_decode(content: bytes) -> Claims:
    try:
        data = cbor2.loads(content)
        fields = (
            (1, str),
            (2, str),
            (3, int),
            (4, int),
            (6, int),
            (7, bytes),
            (8, bytes),
            (9, bytes),
        )
        if not isinstance(data, dict) or any(not isinstance(data.get(k), t) for k, t in fields):
            raise Rejected("missing or malformed claims")
        until = data.get(5)
        if until is not None and not isinstance(until, int):
            raise Rejected("malformed validity")
        return Claims(
            issuer=data[1],
            kind=data[2],
            serial=data[3],
            issued_on=EPOCH + timedelta(days=data[4]),
            valid_until=None if until is None else EPOCH + timedelta(days=until),
            status_index=data[6],
            holder_digest=data[7],
            details_digest=data[8],
            salt=data[9],
        )
    except Rejected:
        raise
    except Exception as exc:
        raise Rejected("malformed claims") from exc


def payload_sign(key: Ed25519PrivateKey, claims: Claims) -> bytes:
    return cose_sign(key, claims_encode(claims))


def payload_open(message: bytes, keys: dict[bytes, Ed25519PublicKey]) -> tuple[bytes, Claims]:
    kid, content = cose_open(message, keys)
    return kid, claims_decode(content)


def transport_encode(message: bytes) -> str:
    return base64.b32encode(message).decode().rstrip("=")


def transport_decode(text: str) -> bytes:
    """The COSE bytes of what a QR or a URL carries: the Base32 after the last "/V/" (or the text alone);
    case, spaces and line breaks do not matter. Rejected when it is not Base32, or not the one Base32
    spelling of its bytes (a last character differing only in its unused bits would decode the same)."""
    text = "".join(text.split()).upper()
    if QR_PATH in text:
        text = text.rsplit(QR_PATH, 1)[1]
    text = text.strip("/")
    if not text or len(text) > 2000:
        raise Rejected("empty or oversized")
    try:
        message = base64.b32decode(text + "=" * (-len(text) % 8))
    except (ValueError, base64.binascii.Error) as exc:
        raise Rejected("not Base32") from exc
    if transport_encode(message) != text:
        raise Rejected("not the canonical Base32")
    return message


def qr_text(base_url: str, message: bytes) -> str:
    """What the QR code holds: the verification URL in capitals with the payload in its path."""
    return f"{base_url.rstrip('/').upper()}{QR_PATH}{transport_encode(message)}"


# ---- revocation list ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusList:
    number: int
    issued_at: datetime
    valid_until: datetime
    bits: bytes  # LIST_SIZE // 8 bytes; bit i of the list is bit (7 - i % 8) of byte i // 8

    def is_revoked(self, index: int) -> bool:
        position = index % LIST_SIZE
        return bool(self.bits[position // 8] & (0x80 >> (position % 8)))


def status_bits(revoked_positions) -> bytes:
    bits = bytearray(LIST_SIZE // 8)
    for position in revoked_positions:
        bits[position // 8] |= 0x80 >> (position % 8)
    return bytes(bits)


def status_list_sign(key: Ed25519PrivateKey, status: StatusList) -> bytes:
    content = {
        1: status.number,
        2: int(status.issued_at.timestamp()),
        3: int(status.valid_until.timestamp()),
        4: zlib.compress(status.bits, 9),
    }
    return cose_sign(key, cbor2.dumps(content))


def status_list_open(message: bytes, keys: dict[bytes, Ed25519PublicKey]) -> StatusList:
    _, content = cose_open(message, keys)
    try:
        data = cbor2.loads(content)
        bits = zlib.decompress(data[4])
        if len(bits) != LIST_SIZE // 8:
            raise Rejected("wrong list size")
        return StatusList(
            number=data[1],
            issued_at=datetime.fromtimestamp(data[2], UTC),
            valid_until=datetime.fromtimestamp(data[3], UTC),
            bits=bits,
        )
    except Rejected:
        raise
    except Exception as exc:
        raise Rejected("malformed status list") from exc


# ---- the verdict -----------------------------------------------------------------------------------------


def verdict_of(claims: Claims, *, today: date, revoked: bool | None) -> Verdict:
    """The answer for a genuine payload: ``revoked`` None when no list can tell (offline, too old)."""
    if revoked:
        return Verdict.REVOKED
    if claims.valid_until is not None and today > claims.valid_until:
        return Verdict.EXPIRED
    if revoked is None:
        return Verdict.STATUS_UNKNOWN
    return Verdict.VALID
