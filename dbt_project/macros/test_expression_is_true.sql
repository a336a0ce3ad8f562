{#- Fails for every row where the expression is not true, e.g.
    `expression_is_true: {arguments: {expression: "status = 'loaded' or reason is not null"}}`.
    On a column, the expression is about that row (column_name is accepted and unused). -#}
{% test expression_is_true(model, expression, column_name=none) %}
select * from {{ model }} where not coalesce(({{ expression }}), false)
{% endtest %}
