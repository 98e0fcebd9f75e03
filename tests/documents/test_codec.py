"""The signed payload and the revocation list, without Django: sign/verify round trip, every kind of
tampering, keys and rotation, an independent COSE implementation (pycose), and what garbage gives."""

import base64
from datetime import UTC, date, datetime, timedelta

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pycose.keys import OKPKey
from pycose.messages import Sign1Message

from documents import codec

KEY = Ed25519PrivateKey.generate()
KEYS = {codec.key_id(KEY.public_key()): KEY.public_key()}
CLAIMS = codec.Claims(
    issuer="BNH",
    kind="PRM",
    serial=45,
    issued_on=date(2026, 12, 4),
    valid_until=date(2029, 12, 3),
    status_index=131_075,
    holder_digest=codec.holder_hash(b"12345678", "28506121401234"),
    details_digest=codec.digest(b"12345678", codec.canonical({"holder": "سعيد عبد الرحمن"})),
    salt=b"12345678",
)


def test_sign_and_open_round_trip():
    kid, claims = codec.payload_open(codec.payload_sign(KEY, CLAIMS), KEYS)
    assert claims == CLAIMS and kid == codec.key_id(KEY.public_key())
    assert claims.number == "BNH-PRM-2026-000045"
    assert claims.status_list == 1
    assert claims.holds_for("28506121401234") and not claims.holds_for("28506121401235")
    assert claims.describes({"holder": "سعيد عبد الرحمن"}) and not claims.describes({"holder": "سعيد"})


def test_the_qr_text_is_a_url_in_the_alphanumeric_set_and_reads_back():
    text = codec.qr_text("https://csc.qalyubia.gov.eg", codec.payload_sign(KEY, CLAIMS))
    assert text.startswith("HTTPS://CSC.QALYUBIA.GOV.EG/V/")
    assert set(text) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    # A phone may lower-case it or wrap it; the payload survives.
    assert codec.payload_open(codec.transport_decode(text.lower()), KEYS)[1] == CLAIMS


def test_an_independent_cose_implementation_verifies_our_signature():
    """pycose (not ours) reads the COSE_Sign1 and checks its Ed25519 signature. (Its decode() expects a
    list and a dict where cbor2 now gives a tuple and a frozendict, so the parts are handed over.)"""
    tagged = cbor2.loads(codec.payload_sign(KEY, CLAIMS))
    assert tagged.tag == 18
    protected, unprotected, payload, signature = tagged.value
    message = Sign1Message.from_cose_obj([protected, dict(unprotected), payload, signature], True)
    message.key = OKPKey(crv="Ed25519", x=codec.public_key_raw(KEY.public_key()))
    assert message.verify_signature()
    assert cbor2.loads(message.payload)[3] == 45


FIELDS = {
    "issuer": "BNX",
    "kind": "LIC",
    "serial": 46,
    "issued_on": date(2026, 12, 5),
    "valid_until": date(2039, 12, 3),
    "status_index": 131_076,
    "holder_digest": codec.holder_hash(b"12345678", "28506121409999"),
    "details_digest": codec.digest(b"12345678", "{}"),
    "salt": b"87654321",
}


@pytest.mark.parametrize("field", FIELDS)
def test_a_payload_whose_claims_were_swapped_is_refused(field):
    """Each field changed in the signed content, with the signature kept: refused."""
    forged = codec.claims_encode(codec.Claims(**{**CLAIMS.__dict__, field: FIELDS[field]}))
    tagged = cbor2.loads(codec.payload_sign(KEY, CLAIMS))
    protected, unprotected, _, signature = tagged.value
    message = cbor2.dumps(cbor2.CBORTag(18, [protected, dict(unprotected), forged, signature]))
    with pytest.raises(codec.Rejected, match="bad signature"):
        codec.payload_open(message, KEYS)


def test_every_single_byte_changed_is_refused_or_reads_the_same():
    """Flip each byte of the whole message in turn: no change yields other claims that verify."""
    message = codec.payload_sign(KEY, CLAIMS)
    for position in range(len(message)):
        altered = bytearray(message)
        altered[position] ^= 0x01
        try:
            _, claims = codec.payload_open(bytes(altered), KEYS)
        except codec.Rejected:
            continue
        pytest.fail(f"byte {position} changed and still verified: {claims}")


def test_a_key_we_do_not_publish_is_unknown():
    stranger = Ed25519PrivateKey.generate()
    with pytest.raises(codec.Rejected, match="unknown key"):
        codec.payload_open(codec.payload_sign(stranger, CLAIMS), KEYS)


def test_a_stranger_signing_under_our_key_id_fails_the_signature():
    stranger = Ed25519PrivateKey.generate()
    tagged = cbor2.loads(codec.payload_sign(stranger, CLAIMS))
    _, unprotected, content, signature = tagged.value
    ours = cbor2.dumps({1: -8, 4: codec.key_id(KEY.public_key())})
    message = cbor2.dumps(cbor2.CBORTag(18, [ours, dict(unprotected), content, signature]))
    with pytest.raises(codec.Rejected, match="bad signature"):
        codec.payload_open(message, KEYS)


def test_after_rotation_old_and_new_documents_both_verify():
    new_key = Ed25519PrivateKey.generate()
    both = {**KEYS, codec.key_id(new_key.public_key()): new_key.public_key()}
    old, new = codec.payload_sign(KEY, CLAIMS), codec.payload_sign(new_key, CLAIMS)
    assert codec.payload_open(old, both)[1] == codec.payload_open(new, both)[1] == CLAIMS
    with pytest.raises(codec.Rejected):
        codec.payload_open(new, KEYS)  # a verifier that never fetched the new key


def test_published_keys_read_back_and_a_wrong_kid_is_refused():
    document = codec.keys_document(KEYS)
    assert codec.keys_from_document(document).keys() == KEYS.keys()
    document["keys"][0]["kid"] = "00000000"
    with pytest.raises(ValueError, match="does not match"):
        codec.keys_from_document(document)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "HTTPS://X/V/",
        "HTTPS://X/V/11111111",  # not Base32 (1 is not in its alphabet)
        "HTTPS://X/V/" + "A" * 40,  # Base32, not CBOR of ours
        "HTTPS://X/V/" + base64.b32encode(cbor2.dumps([1, 2, 3])).decode(),
        "HTTPS://X/V/" + base64.b32encode(cbor2.dumps(cbor2.CBORTag(18, [b"", {}, b"", b""]))).decode(),
        "HTTPS://X/V/" + base64.b32encode(cbor2.dumps(cbor2.CBORTag(18, [b"\xff", {}, b"", b""]))).decode(),
        "HTTPS://X/V/" + "A" * 3000,
    ],
    ids=["empty", "no payload", "not base32", "random", "array", "empty cose", "bad header", "oversized"],
)
def test_garbage_is_rejected_never_an_exception(text):
    with pytest.raises(codec.Rejected):
        codec.payload_open(codec.transport_decode(text), KEYS)


def test_a_truncated_payload_is_rejected():
    text = codec.qr_text("https://x", codec.payload_sign(KEY, CLAIMS))
    for cut in (10, len(text) // 2, len(text) - 3):
        with pytest.raises(codec.Rejected):
            codec.payload_open(codec.transport_decode(text[:cut]), KEYS)


def test_claims_signed_without_a_field_are_refused():
    content = cbor2.loads(codec.claims_encode(CLAIMS))
    del content[7]
    with pytest.raises(codec.Rejected, match="claims"):
        codec.payload_open(codec.cose_sign(KEY, cbor2.dumps(content)), KEYS)


def test_verdicts():
    today = date(2027, 1, 1)
    assert codec.verdict_of(CLAIMS, today=today, revoked=False) == codec.Verdict.VALID
    assert codec.verdict_of(CLAIMS, today=today, revoked=True) == codec.Verdict.REVOKED
    assert codec.verdict_of(CLAIMS, today=today, revoked=None) == codec.Verdict.STATUS_UNKNOWN
    assert codec.verdict_of(CLAIMS, today=date(2029, 12, 3), revoked=False) == codec.Verdict.VALID
    assert codec.verdict_of(CLAIMS, today=date(2029, 12, 4), revoked=False) == codec.Verdict.EXPIRED
    endless = codec.Claims(**{**CLAIMS.__dict__, "valid_until": None})
    assert codec.verdict_of(endless, today=date(2099, 1, 1), revoked=False) == codec.Verdict.VALID


def test_the_status_list_is_signed_sized_and_read_back():
    now = datetime(2026, 12, 4, 10, tzinfo=UTC)
    status = codec.StatusList(1, now, now + timedelta(days=1), codec.status_bits([3, 131_071]))
    signed = codec.status_list_sign(KEY, status)
    back = codec.status_list_open(signed, KEYS)
    assert back == status and len(back.bits) * 8 == codec.LIST_SIZE == 131_072
    assert [i for i in (2, 3, 4, 131_072 + 3, 131_071) if back.is_revoked(i)] == [3, 131_072 + 3, 131_071]
    altered = bytearray(signed)
    altered[-70] ^= 1
    with pytest.raises(codec.Rejected):
        codec.status_list_open(bytes(altered), KEYS)


def test_bytes_after_the_message_are_refused():
    with pytest.raises(codec.Rejected, match="after"):
        codec.payload_open(codec.payload_sign(KEY, CLAIMS) + b"\x00", KEYS)


def test_the_holder_digest_is_a_slow_salted_hash_of_the_national_id():
    """Not SHA-256 of the ID (a national ID is guessable: a birth date, a governorate, a serial), but
    scrypt with the document's salt; the same ID under another salt gives another digest."""
    import hashlib

    national_id, salt = "28506121401234", b"12345678"
    slow = codec.holder_hash(salt, national_id)
    assert slow == hashlib.scrypt(national_id.encode(), salt=salt, n=2**14, r=8, p=1, dklen=10)
    assert slow != hashlib.sha256(salt + national_id.encode()).digest()[:10]
    assert codec.holder_hash(b"87654321", national_id) != slow


def test_only_the_canonical_spelling_of_a_payload_is_accepted():
    """Base32's last character may carry unused bits; a QR whose unused bits were changed is refused,
    so one payload has exactly one text (the case-insensitive letters aside)."""
    text = codec.transport_encode(codec.payload_sign(KEY, CLAIMS))
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    spare_bits = len(text) * 5 - len(codec.transport_decode(text)) * 8
    assert spare_bits > 0  # the length of this payload leaves some
    position = alphabet.index(text[-1])
    sibling = alphabet[position ^ 1]  # the lowest bit of the last character is a spare one
    with pytest.raises(codec.Rejected, match="canonical"):
        codec.transport_decode(text[:-1] + sibling)
