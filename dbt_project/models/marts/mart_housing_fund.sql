-- The housing provident fund (住房公积金): deposits, depositors, withdrawals, loans, rates,
-- by place and period, with its source.
select * from {{ ref('int_observations_described') }}
where topic = 'housing_fund'
