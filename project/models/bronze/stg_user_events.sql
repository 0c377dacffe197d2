-- Cleaned event stream: normalized event types, producer heartbeats dropped, typed columns and
-- exactly one row per event_id (the ingester delivers at least once).
-- timestamp(6), not timestamp: on Trino plain `timestamp` means timestamp(3), which Iceberg rejects.
with typed as (

    select
        cast(event_id as bigint) as event_id,
        cast(user_id as integer) as user_id,
        cast(item_id as integer) as item_id,
        {{ normalize_event_type('event_type') }} as event_type,
        cast(event_time as timestamp(6)) as event_time,
        cast(amount as decimal(12, 2)) as amount
    from {{ source('raw', 'user_events') }}

),

deduplicated as (

    select
        typed.*,
        row_number() over (partition by event_id order by event_time, event_type) as delivery_rank
    from typed
    where event_type in ('click', 'view', 'purchase')
      and user_id is not null

)

select
    event_id,
    user_id,
    item_id,
    event_type,
    event_time,
    amount
from deduplicated
where delivery_rank = 1
