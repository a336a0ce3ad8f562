{#-
  Tables that grow with the corpus (a row per sentence, block or figure) are built by
  document: a refresh rebuilds the rows of the documents loaded since the last build, not
  the two million others. A document's rows in a raw table share one loaded_at, so a
  document is new or loaded again when its (document_id, loaded_at) is not in the table.

  Used as:
    config(materialized='incremental', incremental_strategy='delete+insert',
           unique_key='document_id', on_schema_change='fail',
           post_hook=delete_rows_of_documents_gone('stg_…'))
    … where document_id in ({{ documents_to_build('stg_…') }})
-#}

{% macro documents_to_build(source_model) -%}
    {%- if is_incremental() -%}
    select document_id from (
        select distinct document_id, loaded_at from {{ ref(source_model) }}
        except
        select distinct document_id, loaded_at from {{ this }}
    )
    {%- else -%}
    select document_id from {{ ref('stg_documents__documents') }}
    {%- endif -%}
{%- endmacro %}

{#- After the insert: rows of documents removed, or loaded again with no rows this time
    (a document re-extracted to no figure), are no longer in the source as loaded. -#}
{% macro delete_rows_of_documents_gone(source_model) -%}
    delete from {{ this }} where document_id in (
        select document_id from (
            select distinct document_id, loaded_at from {{ this }}
            except
            select distinct document_id, loaded_at from {{ ref(source_model) }}
        )
    )
{%- endmacro %}

{#- The version of the indicator sheet's mapping rules (keywords, unit, relation), for tables
    that must be rebuilt when they change. -#}
{% macro mapping_rules_version() -%}
    select md5(coalesce(string_agg(
        indicator_code || '|' || unit || '|' || coalesce(relation, '') || '|'
            || array_to_string(keywords, '、'), '\n' order by indicator_code), ''))
    from {{ ref('stg_sheets__indicators') }}
{%- endmacro %}
