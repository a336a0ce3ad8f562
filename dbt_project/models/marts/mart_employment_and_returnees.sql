-- Employment, labour transfer, returnees and returnee entrepreneurship: every observation,
-- by place and period, with its source.
{{ config(**written_by_difference('observation_id')) }}
select * from {{ ref('int_observations_described') }}
where topic in ('employment', 'labour_transfer', 'returnees', 'entrepreneurship', 'recruitment')
