"""Bytes of a newspaper file to text, or a reason a person understands.

Files arrive as UTF-8, UTF-8 with a BOM, GBK/GB18030 (common for Chinese government files)
or, rarely, UTF-16 with a BOM. The rule that matters most: never load mojibake. GB18030 can
decode almost any byte string, so a UTF-8 file with one bad byte would "succeed" as GB18030
and turn into nonsense; such a file is rejected with the position of the bad byte instead.

The text returned is normalised only in ways that cannot move a reader's eye: the BOM is
dropped and Windows (CRLF) and old Mac (CR) line ends become LF. Character offsets used
everywhere downstream are offsets into this normalised text (see `structure.py`).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# Control characters other than tab, LF, CR and form feed never occur in a text file.
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f"}


class UndecodableError(ValueError):
    """The bytes are not a text document we can read; the message says why."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # utf-8, utf-8-sig, gbk, gb18030, utf-16


def normalise_line_ends(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# The control characters (Unicode category Cc: U+0000-U+001F and U+007F-U+009F) a text file
# does not hold; one search instead of a category lookup per character (3 s of every
# refresh went to checking a 100k-row registry sheet character by character).
_CONTROL = re.compile("[" + "".join(
    re.escape(chr(c)) for c in [*range(0x20), *range(0x7F, 0xA0)]
    if chr(c) not in _ALLOWED_CONTROLS) + "]")


def _first_control(text: str) -> int | None:
    found = _CONTROL.search(text)
    return found.start() if found else None


def _checked(text: str, encoding: str) -> Decoded:
    if not text.strip():
        raise UndecodableError("empty: the file holds only white space")
    control_at = _first_control(text)
    if control_at is not None:
        raise UndecodableError(
            f"binary: control character U+{ord(text[control_at]):04X} at character "
            f"{control_at} (not a text file)")
    return Decoded(normalise_line_ends(text), encoding)


def _utf8_looks_intended(data: bytes) -> bool:
    """True when the file is mostly valid multi-byte UTF-8, so a bad byte is damage,
    not a sign of another encoding (GBK text almost never forms valid UTF-8 sequences)."""
    decoded = data.decode("utf-8", errors="replace")
    bad = decoded.count("\ufffd")
    good = sum(1 for ch in decoded if ord(ch) > 0x7F and ch != "\ufffd")
    return good > bad


def _utf16_without_bom(data: bytes) -> str | None:
    """'little-endian' or 'big-endian' when the bytes read as UTF-16 text without a BOM:
    the NUL bytes (the high byte of ASCII characters) fall on one side of every pair."""
    if len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if odd >= 2 and even <= odd // 10:
        codec, order = "utf-16-le", "little-endian"
    elif even >= 2 and odd <= even // 10:
        codec, order = "utf-16-be", "big-endian"
    else:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    return order if _first_control(text) is None else None


def _cut_off(err: UnicodeDecodeError, data: bytes) -> bool:
    """The only fault is a character cut in half by the end of the file."""
    return err.end == len(data) and err.reason in ("unexpected end of data",
                                                   "incomplete multibyte sequence")


def decode_document(data: bytes) -> Decoded:
    """Decode one file's bytes; raise UndecodableError with a human reason if we cannot."""
    if not data:
        raise UndecodableError("empty: the file has no bytes")
    if data.startswith(codecs.BOM_UTF8):
        try:
            return _checked(data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig")
        except UnicodeDecodeError as err:
            raise UndecodableError(
                f"not decodable: the file starts with a UTF-8 byte order mark but byte "
                f"{err.start + len(codecs.BOM_UTF8)} is not valid UTF-8") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _checked(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError as err:
            raise UndecodableError(
                f"not decodable: UTF-16 byte order mark but byte {err.start} is invalid") from None
    nul_at = data.find(b"\x00")
    if nul_at >= 0:
        # UTF-16 without a BOM is text, not binary: say so, and how to fix it (guessing the
        # byte order is not safe enough to load it).
        order = _utf16_without_bom(data)
        if order:
            raise UndecodableError(
                f"not decodable: UTF-16 ({order}) without a byte order mark; save it as "
                f"UTF-8 (or as UTF-16 with a byte order mark)")
        raise UndecodableError(f"binary: NUL byte at byte {nul_at} (not a text file)")
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as err:
        utf8_error = err
    if _utf8_looks_intended(data):
        if _cut_off(utf8_error, data):
            raise UndecodableError(
                f"not decodable: the file ends in the middle of a UTF-8 character (byte "
                f"{utf8_error.start}); it was cut off, perhaps while being copied")
        raise UndecodableError(
            f"not decodable: byte {utf8_error.start} is not valid UTF-8 in a file that is "
            f"otherwise UTF-8 (damaged file; refusing to guess another encoding)")
    for encoding in ("gbk", "gb18030"):
        try:
            return _checked(data.decode(encoding), encoding)
        except UnicodeDecodeError as err:
            gb_error = err
    if _cut_off(gb_error, data):
        raise UndecodableError(
            f"not decodable: GBK text that ends in the middle of a character (byte "
            f"{gb_error.start}); it was cut off, perhaps while being copied")
    raise UndecodableError(
        f"not decodable: not UTF-8 (byte {utf8_error.start}) and not GB18030 (byte "
        f"{gb_error.start})")
