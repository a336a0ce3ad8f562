{#- A sheet cell holding a |-separated list (aliases, authors, keywords) as a list; an
    empty cell as an empty list. -#}
{% macro split_list(column) -%}
case when {{ column }} = '' then []::varchar[] else string_split({{ column }}, '|') end
{%- endmacro %}
