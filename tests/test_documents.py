"""Scanning the documents folder: one ledger row per file, one document per text."""

from __future__ import annotations

import os

from pipelines.documents import scan_documents

TEXT = "# 标题\n\n记者 张三\n\n全县新增就业1.2万人。\n"


def test_every_file_gets_a_ledger_row_with_a_reason(tmp_path):
    (tmp_path / "sub dir").mkdir()
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "sub dir" / "昭通 副本.md").write_text(TEXT, encoding="utf-8")  # same text
    (tmp_path / "gbk.txt").write_bytes(TEXT.replace("1.2", "3.4").encode("gbk"))
    (tmp_path / "big.txt").write_text(TEXT * 100, encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    outside = tmp_path.parent / "outside.txt"
    outside.write_text("外部文件。", encoding="utf-8")
    os.symlink(outside, tmp_path / "link.txt")

    scan = scan_documents(tmp_path, max_bytes=1000)

    ledger = {row.path: row for row in scan.ledger}
    assert sorted(ledger) == ["a.txt", "big.txt", "gbk.txt", "link.txt", "notes.docx",
                              "sub dir/昭通 副本.md"]
    assert ledger["a.txt"].status == "loaded"
    assert ledger["gbk.txt"].status == "loaded" and ledger["gbk.txt"].encoding == "gbk"
    assert ledger["sub dir/昭通 副本.md"].status == "duplicate"
    assert ledger["sub dir/昭通 副本.md"].reason == "same text as a.txt"
    assert ledger["sub dir/昭通 副本.md"].document_id == ledger["a.txt"].document_id
    assert ledger["big.txt"].reason.startswith("larger than the configured limit")
    assert ledger["link.txt"].reason.startswith("symlink to a file outside")
    assert "only .txt and .md are read" in ledger["notes.docx"].reason
    assert [d.path for d in scan.documents] == ["a.txt", "gbk.txt"]
    assert "3.4万人" in scan.documents[1].text


def test_document_identity_survives_re_reading_and_re_encoding(tmp_path):
    (tmp_path / "one.txt").write_text(TEXT, encoding="utf-8")
    first = scan_documents(tmp_path).documents[0].document_id
    (tmp_path / "one.txt").write_bytes(TEXT.replace("\n", "\r\n").encode("gbk"))
    again = scan_documents(tmp_path).documents[0]
    assert again.document_id == first  # same text, new bytes: same document
    assert again.encoding == "gbk"
