"""The hand annotations the extractor is scored on must stay consistent with their texts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("annotation_set", ["", "tests/heldout", "tests/heldout2", "tests/heldout3"])
def test_annotation_set_is_consistent(annotation_set):
    args = [sys.executable, str(ROOT / "tests/annotations/check_annotation.py")]
    result = subprocess.run(args + ([annotation_set] if annotation_set else []), cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert result.stdout.strip().endswith("OK")
