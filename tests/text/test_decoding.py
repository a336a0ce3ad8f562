"""Decoding newspaper files: every encoding they arrive in, and never mojibake."""

from __future__ import annotations

import codecs

import pytest

from pipelines.text.decoding import UndecodableError, decode_document

ARTICLE = "截至目前，全县累计回引8.12万人返乡创业就业。\n其中创业2.83万人。\n"


@pytest.mark.parametrize("data, encoding", [
    (ARTICLE.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + ARTICLE.encode("utf-8"), "utf-8-sig"),
    (ARTICLE.encode("gbk"), "gbk"),
    (("昭通市住房公积金" + "\u4dae" + "管理中心。\n").encode("gb18030"), "gb18030"),  # outside GBK
    (codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"), "utf-16"),
])
def test_each_encoding_decodes_to_the_same_text(data, encoding):
    decoded = decode_document(data)
    assert decoded.encoding == encoding
    assert decoded.text.startswith(("截至目前", "昭通市"))
    assert "\ufeff" not in decoded.text


def test_windows_and_old_mac_line_ends_become_lf():
    assert decode_document("一\r\n二\r三\n".encode("gbk")).text == "一\n二\n三\n"


def test_utf8_with_one_bad_byte_is_rejected_not_read_as_gb18030():
    data = bytearray(ARTICLE.encode("utf-8"))
    data[9] = 0xFF  # the first byte of 目
    with pytest.raises(UndecodableError, match="byte 9 is not valid UTF-8"):
        decode_document(bytes(data))


@pytest.mark.parametrize("data, reason", [
    (b"", "empty: the file has no bytes"),
    (b"  \n\r\n\t ", "empty: the file holds only white space"),
    (b"PK\x03\x04\x00\x00binary", "binary: NUL byte at byte 4"),
    (b"abc\x07def", "binary: control character U+0007"),
])
def test_unreadable_files_say_why(data, reason):
    with pytest.raises(UndecodableError, match=reason.replace("+", r"\+")):
        decode_document(data)
