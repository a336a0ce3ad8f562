"""The real Dagster webserver, opened in headless Chromium: the asset graph is shown.

Chromium comes from Debian's `chromium` package (the `chromium` fixture of conftest.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.settings import REPO_ROOT
from tests.conftest import free_port, rendered, wait_for_dagster


@pytest.fixture(scope="module")
def webserver(tmp_path_factory):
    from pipelines.dbt_project import prepare_dbt_manifest

    prepare_dbt_manifest()
    home = tmp_path_factory.mktemp("dagster_home")
    shutil.copy(REPO_ROOT / ".dagster" / "dagster.yaml", home)
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("dagster-webserver")), "-m", "pipelines.definitions",
         "-h", "127.0.0.1", "-p", str(port)],
        cwd=REPO_ROOT, env={**os.environ, "DAGSTER_HOME": str(home)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_dagster(server, url)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_marts_asset_graph_is_shown(chromium, webserver, tmp_path):
    dom = rendered(chromium, f"{webserver}/locations/__repository__@pipelines.definitions"
                             f"/asset-groups/marts", tmp_path)
    for asset in ("dim_region", "fct_observation", "fct_claim_check", "mart_annual_growth",
                  "published_warehouse"):
        assert asset in dom, asset


def test_the_asset_catalog_lists_the_assets(chromium, webserver, tmp_path):
    dom = rendered(chromium, f"{webserver}/assets", tmp_path)
    assert "dim_region" in dom and "fct_observation" in dom
