"""The Dagster code location loads and says what the pipeline does."""

from __future__ import annotations

import dagster as dg
import pytest


@pytest.fixture(scope="module")
def defs():
    from pipelines.dbt_project import prepare_dbt_manifest

    prepare_dbt_manifest()
    from pipelines.definitions import defs

    return defs


def test_every_stage_is_an_asset_in_one_lineage(defs):
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {"raw/documents", "raw/document_ledger", "raw/articles", "raw/blocks", "raw/sentences",
            "raw/sheet_regions", "raw/sheet_rejects", "dim_article", "dim_block", "dim_sentence",
            "staging/stg_sheets__regions", "dim_region", "dim_document", "document_ledger",
            "published_warehouse"} <= keys
    # dbt sources are the raw tables the Python assets write: one graph, not two.
    assert dg.AssetKey(["raw", "sheet_regions"]) in graph.get(
        dg.AssetKey(["staging", "stg_sheets__regions"])).parent_keys
    assert dg.AssetKey(["raw", "documents"]) in graph.get(dg.AssetKey(["raw", "sentences"])).parent_keys
    assert dg.AssetKey("dim_region") in graph.get(dg.AssetKey("published_warehouse")).parent_keys


def test_dbt_tests_are_asset_checks(defs):
    checks = {(key.asset_key.to_user_string(), key.name)
              for key in defs.resolve_asset_graph().asset_check_keys}
    assert ("dim_region", "unique_dim_region_region_code") in checks
    assert ("fct_mention", "fct_mention_sentence_contains_the_figure") in checks
    assert ("fct_observation", "assert_curated_observations_in_plausible_ranges") in checks
    assert ("fct_observation", "assert_extracted_observations_in_plausible_ranges") in checks


def test_every_mart_bi_tools_read_enforces_its_contract(defs):
    """Names, types and row rules (not null, checks) of every mart hold as it is built."""
    import json

    from pipelines.dbt_project import dbt_project

    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    marts = [node for node in manifest["nodes"].values()
             if node["resource_type"] == "model" and node["fqn"][1] == "marts"]
    assert len(marts) == 17
    for mart in marts:
        assert mart["contract"]["enforced"], mart["name"]
        assert all(column.get("data_type") for column in mart["columns"].values()), mart["name"]
