{{ config(materialized='view') }}
-- The mix of event types over the whole stream; small, so a view is enough.
with counts as (

    select event_type, count(*) as event_count
    from {{ ref('stg_user_events') }}
    group by event_type

)

select
    event_type,
    event_count,
    {{ safe_divide('event_count', 'sum(event_count) over ()') }} as share
from counts
