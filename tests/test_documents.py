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


def _known(scan) -> dict:
    """What the next scan knows of this one, as the pipeline keeps it in its ledger."""
    from pipelines.documents import KnownFile

    return {r.path: KnownFile(r.sha256, r.encoding, r.document_id, r.size_bytes, r.modified_ns,
                              r.inode)
            for r in scan.ledger if r.status in ("loaded", "unchanged")}


def _age(path, seconds: float = 3600) -> None:
    """Set the file's modification time `seconds` in the past, as a file copied in long ago."""
    stamp = os.stat(path).st_mtime - seconds
    os.utime(path, (stamp, stamp))


def test_a_file_with_the_stamp_of_its_last_hash_is_not_read_again(tmp_path, monkeypatch):
    """Size, modification time and inode decide that bytes did not change, as in git and
    rsync: only when the file had been left alone for a while before it was hashed."""
    import pipelines.documents as documents

    reads: list[str] = []
    real_read = documents._read
    monkeypatch.setattr(documents, "_read", lambda file, *args: reads.append(file.name)
                        or real_read(file, *args))
    for name in ("old.txt", "racy.txt", "edited.txt", "replaced.txt", "base.txt"):
        (tmp_path / name).write_text(TEXT.replace("1.2", name[:2]), encoding="utf-8")
    for name in ("old.txt", "edited.txt", "replaced.txt", "base.txt"):
        _age(tmp_path / name)
    os.symlink("base.txt", tmp_path / "link.txt")  # a duplicate of base.txt, inside

    first = scan_documents(tmp_path)
    stamps = {r.path: r.modified_ns for r in first.ledger}
    assert stamps["racy.txt"] is None  # written a moment ago: not trusted next time
    assert stamps["link.txt"] is None and stamps["old.txt"] is not None

    # edited in place to a text of another size; replaced by a new file (another inode)
    # of the same size, with its modification time put back as it was
    edited, replaced = tmp_path / "edited.txt", tmp_path / "replaced.txt"
    edited.write_text(TEXT.replace("1.2", "123.4"), encoding="utf-8")
    before = os.stat(replaced)
    (tmp_path / "new").write_text(TEXT.replace("1.2", "9."), encoding="utf-8")
    os.replace(tmp_path / "new", replaced)
    os.utime(replaced, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(replaced).st_size == before.st_size and os.stat(replaced).st_ino != before.st_ino

    reads.clear()
    second = scan_documents(tmp_path, known=_known(first))
    ledger = {r.path: r for r in second.ledger}
    assert sorted(reads) == ["edited.txt", "link.txt", "racy.txt", "replaced.txt"]
    assert ledger["old.txt"].status == ledger["base.txt"].status == "unchanged"
    assert "same size, modification time and inode" in ledger["old.txt"].reason
    assert ledger["old.txt"].sha256 == {r.path: r for r in first.ledger}["old.txt"].sha256
    assert ledger["racy.txt"].status == "unchanged" and "same sha256" in ledger["racy.txt"].reason
    assert ledger["edited.txt"].status == ledger["replaced.txt"].status == "loaded"
    assert [d.path for d in second.documents] == ["edited.txt", "replaced.txt"]
    assert "9.万人" in second.documents[1].text
    assert ledger["link.txt"].status == "duplicate"

    # A lower size limit applies to files trusted by their stamp too.
    third = {r.path: r for r in scan_documents(tmp_path, known=_known(second), max_bytes=10).ledger}
    assert third["old.txt"].status == "rejected"
    assert third["old.txt"].reason.startswith("larger than the configured limit")
