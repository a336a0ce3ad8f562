{#- A number cell of a sheet as a double: thousands separators (, or ，) dropped, an empty
    cell null. pipelines/sheets.py has already rejected any other text (parse_number). -#}
{% macro sheet_number(column) -%}
    cast(nullif(replace(replace(trim({{ column }}), ',', ''), '，', ''), '') as double)
{%- endmacro %}
