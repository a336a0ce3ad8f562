{#- Two fields of an arg_min key that order a date column, nulls last: `column asc nulls
    last`, or with descending=true `column desc nulls last`. arg_min over a struct of such
    keys picks a group's first row by that order without a window sorting every column. -#}
{% macro date_sort_key(column, descending=false) -%}
    {{ column }} is null,
    {%- if descending %} coalesce(date '9999-12-31' - {{ column }}, 0)
    {%- else %} coalesce({{ column }}, date '1900-01-01')
    {%- endif %}
{%- endmacro %}
