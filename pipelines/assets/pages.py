"""Indicator pages: the static site of the published release, built after every publish."""

import dagster as dg

from pipelines.assets.publish import published_warehouse
from pipelines.pages import publish_site
from pipelines.resources import WarehouseResource
from pipelines.warehouse import current_release


@dg.asset(
    deps=[published_warehouse],
    group_name="publish",
    kinds={"html"},
    description="Pages of the published release, readable with no BI tool: topics and "
                "indicators, a chart and every source per indicator, each place's latest "
                "figures, the findings of the claim checks. <warehouse>/pages/index.html, an "
                "atomic symlink to a folder beside the release; `wumeng serve-pages` serves it.",
)
def indicator_pages(context: dg.AssetExecutionContext,
                    warehouse: WarehouseResource) -> dg.MaterializeResult:
    settings = warehouse.settings
    # Read what readers read: the release published now, never the build database.
    release = current_release(settings.published_db)
    site = publish_site(release, settings.pages_dir)
    index = settings.pages_dir / "index.html"
    context.log.info(f"{site.page_count} pages of {release.name} in {site.seconds:.2f} s"
                     f"{'' if site.is_new else ' (the same as before: kept)'}: {index.as_uri()}")
    return dg.MaterializeResult(metadata={
        "release": release.name,
        "path": dg.MetadataValue.path(str(index)),
        "site": dg.MetadataValue.path(str(site.path)),
        "pages": site.page_count,
        "generation_seconds": round(site.seconds, 3),
        "new_site": site.is_new,
    })
