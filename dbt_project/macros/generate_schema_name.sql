{#- Use a model's configured schema as is (staging, intermediate); marts stay in the
    default schema `main`, so analysts write `select * from dim_region`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name | trim if custom_schema_name else target.schema }}
{%- endmacro %}
