select
    -- as in stg_documents__sentences: '-' for a figure outside any article (a leading caption)
    document_id || ':' || coalesce(cast(article_index as varchar), '-') || ':s' || sentence_index
        || ':m' || mention_index as mention_id,
    document_id || ':' || coalesce(cast(article_index as varchar), '-') || ':s' || sentence_index
        as sentence_id,
    document_id,
    article_index,
    sentence_index,
    mention_index,
    start_offset,
    end_offset,
    text as mention_text,
    value,
    value_low,
    value_high,
    unit,
    qualifier,
    multiplier_kind,
    is_change,
    direction,
    is_target,
    is_forecast,
    period as period_label,
    period_start,
    period_end,
    period_kind,
    period_source,
    base_period as base_period_label,
    place_code as region_code,
    place_source,
    loaded_at
from {{ source('documents', 'mentions') }}
