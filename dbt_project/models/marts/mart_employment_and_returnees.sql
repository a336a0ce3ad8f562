-- Employment, labour transfer, returnees and returnee entrepreneurship: every observation,
-- by place and period, with its source.
select * from {{ ref('int_observations_described') }}
where topic in ('employment', 'labour_transfer', 'returnees', 'entrepreneurship', 'recruitment')
