"""ISO-2022-JP through Python's C codec gives what the careful per-pair decoder gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bridge.parsing import charsets

ESCAPES = [b"\x1b(B", b"\x1b(J", b"\x1b$B", b"\x1b$@", b"\x1b(I", b"\x1b$(D", b"\x1b$(Q", b"\x1b&@\x1b$B", b"\x1b"]
JIS_PAIRS = st.tuples(st.sampled_from([*range(0x21, 0x7F), 0x2D, 0x79, 0x7A, 0x7B, 0x7C]),
                      st.integers(0x21, 0x7E)).map(bytes)
PIECES = st.one_of(st.sampled_from(ESCAPES), st.sampled_from([b"\r\n", b"\n", b" ", b"~", b"\\"]), JIS_PAIRS,
                   st.binary(min_size=1, max_size=3), st.just(b"\x0e!\x0f"))


@settings(max_examples=3000, deadline=None)
@given(st.booleans(), st.lists(PIECES, max_size=14))
def test_the_fast_decoder_reads_every_byte_mix_as_the_careful_one(start_in_jis, pieces):
    data = (b"\x1b$B" if start_in_jis else b"") + b"".join(pieces)
    assert charsets.decode_iso2022jp(data) == charsets._decode_careful(data)


def test_vendor_characters_and_the_six_windows_mappings_come_out_as_windows_writes_them():
    assert charsets.decode_iso2022jp(b"\x1b$B-!\x1b(B")[0] == "①"
    assert charsets.decode_iso2022jp(b"\x1b$B!A!B!]!q!r\"L\x1b(B") == ("～∥－￠￡￢", False)
    assert charsets.decode_iso2022jp(b"\x1b(I6E\x1b$B0!\x1b(B") == ("ｶﾅ亜", False)
