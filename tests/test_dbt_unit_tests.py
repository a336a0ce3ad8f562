"""dbt's unit tests (models/marts/_unit_tests.yml): the growth, share, claim check and
period logic on fixed inputs. They test SQL, not data, so they run here in CI and not in
every refresh."""

from __future__ import annotations

import json
import subprocess

from pipelines.dbt_project import DBT_EXECUTABLE, dbt_vars
from pipelines.settings import DBT_PROJECT_DIR


def test_growth_share_and_period_logic_pass_their_unit_tests(seeded, tmp_path):
    workspace, _ = seeded
    # dbt reads the column types of a unit test's inputs from the built warehouse.
    completed = subprocess.run(
        [DBT_EXECUTABLE, "test", "--select", "test_type:unit", "--profiles-dir", ".",
         "--target-path", str(tmp_path / "target"), *dbt_vars(workspace.settings.build_db)],
        cwd=DBT_PROJECT_DIR, capture_output=True, text=True)
    results = json.loads((tmp_path / "target" / "run_results.json").read_text(encoding="utf-8"))
    outcome = {r["unique_id"].split(".")[-1]: r["status"] for r in results["results"]}
    assert outcome == {
        "dim_period_parses_every_kind_of_label": "pass",
        "mart_annual_growth_recomputes_growth_from_consecutive_years_only": "pass",
        "fct_claim_check_sums_components_and_recomputes_shares": "pass",
        "fct_claim_check_checks_each_statement_of_a_fact_against_its_reference": "pass",
    }, completed.stdout
    assert completed.returncode == 0
