{#- Start and end dates of a period label (tests/annotations/README.md):
    2023, 2024-H1, 2024-Q3, 2024-07, 2023-12-21, A/B (a span), ../B (as of B: no start).
    The same notation pipelines/period_labels.py parses in Python. -#}

{% macro _point_start(p) -%}
case
    when regexp_full_match({{ p }}, '\d{4}') then make_date(cast({{ p }} as integer), 1, 1)
    when regexp_full_match({{ p }}, '\d{4}-H[12]')
        then make_date(cast(left({{ p }}, 4) as integer), 6 * (cast(right({{ p }}, 1) as integer) - 1) + 1, 1)
    when regexp_full_match({{ p }}, '\d{4}-Q[1-4]')
        then make_date(cast(left({{ p }}, 4) as integer), 3 * (cast(right({{ p }}, 1) as integer) - 1) + 1, 1)
    when regexp_full_match({{ p }}, '\d{4}-\d{2}') then cast({{ p }} || '-01' as date)
    when regexp_full_match({{ p }}, '\d{4}-\d{2}-\d{2}') then cast({{ p }} as date)
end
{%- endmacro %}

{% macro _point_end(p) -%}
case
    when regexp_full_match({{ p }}, '\d{4}') then make_date(cast({{ p }} as integer), 12, 31)
    when regexp_full_match({{ p }}, '\d{4}-H[12]')
        then last_day(make_date(cast(left({{ p }}, 4) as integer), 6 * cast(right({{ p }}, 1) as integer), 1))
    when regexp_full_match({{ p }}, '\d{4}-Q[1-4]')
        then last_day(make_date(cast(left({{ p }}, 4) as integer), 3 * cast(right({{ p }}, 1) as integer), 1))
    when regexp_full_match({{ p }}, '\d{4}-\d{2}') then last_day(cast({{ p }} || '-01' as date))
    when regexp_full_match({{ p }}, '\d{4}-\d{2}-\d{2}') then cast({{ p }} as date)
end
{%- endmacro %}

{% macro period_start(label) -%}
case
    when {{ label }} like '../%' then null
    when {{ label }} like '%/%' then {{ _point_start("split_part(" ~ label ~ ", '/', 1)") }}
    else {{ _point_start(label) }}
end
{%- endmacro %}

{% macro period_end(label) -%}
case
    when {{ label }} like '%/%' then {{ _point_end("split_part(" ~ label ~ ", '/', 2)") }}
    else {{ _point_end(label) }}
end
{%- endmacro %}

{% macro period_kind(label) -%}
case
    when {{ label }} like '../%' then 'as_of'
    when {{ label }} like '%/%' then 'span'
    when regexp_full_match({{ label }}, '\d{4}') then 'year'
    when regexp_full_match({{ label }}, '\d{4}-H[12]') then 'half'
    when regexp_full_match({{ label }}, '\d{4}-Q[1-4]') then 'quarter'
    when regexp_full_match({{ label }}, '\d{4}-\d{2}') then 'month'
    when regexp_full_match({{ label }}, '\d{4}-\d{2}-\d{2}') then 'day'
end
{%- endmacro %}
