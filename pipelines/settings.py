"""Where Wumeng reads and writes.

Every path has a default inside the repository, so nothing needs configuring on a fresh
machine, and an environment variable that overrides it (the `wumeng` command's path
options set these variables, so Dagster assets and the dbt subprocess see the same paths).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"

ENV_DOCUMENTS = "WUMENG_DOCUMENTS"
ENV_SHEETS = "WUMENG_SHEETS"
ENV_WAREHOUSE = "WUMENG_WAREHOUSE"
ENV_MAX_DOCUMENT_BYTES = "WUMENG_MAX_DOCUMENT_BYTES"
DEFAULT_MAX_DOCUMENT_BYTES = 20 * 1024 * 1024  # a newspaper page is ~20 KB; 20 MB is no article

PUBLISHED_NAME = "wumeng.duckdb"
DEFAULT_WAREHOUSE_DIR = REPO_ROOT / "warehouse"


def _path_from_env(variable: str, default: Path) -> Path:
    value = os.environ.get(variable)
    return Path(value).expanduser().resolve() if value else default


@dataclass(frozen=True)
class Settings:
    documents_dir: Path
    sheets_dir: Path
    warehouse_dir: Path
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES

    @classmethod
    def from_env(cls) -> Settings:
        limit = os.environ.get(ENV_MAX_DOCUMENT_BYTES)
        return cls(
            documents_dir=_path_from_env(ENV_DOCUMENTS, REPO_ROOT / "seeds" / "documents"),
            sheets_dir=_path_from_env(ENV_SHEETS, REPO_ROOT / "seeds" / "sheets"),
            warehouse_dir=_path_from_env(ENV_WAREHOUSE, DEFAULT_WAREHOUSE_DIR),
            max_document_bytes=int(limit) if limit else DEFAULT_MAX_DOCUMENT_BYTES,
        )

    @property
    def build_db(self) -> Path:
        """The database only the pipeline opens; readers never see it."""
        return self.warehouse_dir / "build" / "wumeng.duckdb"

    @property
    def releases_dir(self) -> Path:
        return self.warehouse_dir / "releases"

    @property
    def published_db(self) -> Path:
        """The stable path analysts and BI tools open: a symlink to the current release."""
        return self.warehouse_dir / PUBLISHED_NAME

    @property
    def pages_dir(self) -> Path:
        """The indicator pages of the published release: a symlink to a folder beside it."""
        return self.warehouse_dir / "pages"


def export_paths(documents: str | None = None, sheets: str | None = None,
                 warehouse: str | None = None) -> Settings:
    """Set the path variables for this process and its children, then read them back."""
    for variable, value in ((ENV_DOCUMENTS, documents), (ENV_SHEETS, sheets),
                            (ENV_WAREHOUSE, warehouse)):
        if value:
            os.environ[variable] = str(Path(value).expanduser().resolve())
    return Settings.from_env()
