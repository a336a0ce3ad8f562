{#-
  dbt's get_where_subquery (the `where` of a data test), with one placeholder for the tests
  of the tables built by document (macros/incremental_by_document.sql):

    config: {where: "__documents_of_this_build__"}

  tests the rows of the documents this build wrote, every row of each (rows left over from
  an earlier load of a document too), rather than the two million rows of the corpus: what
  the refresh did not rebuild was tested when it was built. Every row is tested on a full
  build and whenever WUMENG_TEST_DOCUMENTS_LOADED_SINCE is unset. `wumeng refresh` sets it
  to when the last successful build started, so the documents loaded since (by this refresh
  or by one whose build failed) are tested.

  Read only when a test runs (`execute`): dbt would otherwise record the variable at parse
  time, and parse the tests again whenever its value changed.
-#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where') -%}
    {%- if where -%}
        {%- if '__documents_of_this_build__' in where -%}
            {%- set where = where | replace('__documents_of_this_build__',
                                            documents_of_this_build(relation)) -%}
        {%- endif -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

{% macro documents_of_this_build(relation) -%}
    {%- set since = env_var('WUMENG_TEST_DOCUMENTS_LOADED_SINCE', '') if execute else '' -%}
    {%- if since -%}
    document_id in (select document_id from {{ relation }}
                    where loaded_at >= {{ dbt.string_literal(since) }}::timestamptz)
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}
