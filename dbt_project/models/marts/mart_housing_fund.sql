-- The housing provident fund (住房公积金): deposits, depositors, withdrawals, loans, rates,
-- by place and period, with its source.
{{ config(**written_by_difference('observation_id')) }}
select * from {{ ref('int_observations_described') }}
where topic = 'housing_fund'
