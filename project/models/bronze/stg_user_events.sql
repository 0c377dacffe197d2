-- Cleaned event stream: normalized event types, producer heartbeats dropped, typed columns and
-- redelivered events (exact copies of an earlier row) removed, so one row per event_id.
-- timestamp(6), not timestamp: on Trino plain `timestamp` means timestamp(3), which Iceberg rejects.
-- `select distinct` rather than row_number() over (partition by event_id): every engine pushes a
-- filter on event_time through a DISTINCT into the scan of the raw table (and its index), which it
-- cannot do through a window partitioned by event_id alone. That is what lets the incremental marts
-- downstream read only the newest events instead of deduplicating the whole history on each run.
-- Two different payloads under one event_id would both be kept: the `unique` test on event_id
-- (_bronze.yml) reports them.
with typed as (

    select
        cast(event_id as bigint) as event_id,
        cast(user_id as integer) as user_id,
        cast(item_id as integer) as item_id,
        {{ normalize_event_type('event_type') }} as event_type,
        cast(event_time as timestamp(6)) as event_time,
        cast(amount as decimal(12, 2)) as amount
    from {{ source('raw', 'user_events') }}

)

select distinct
    event_id,
    user_id,
    item_id,
    event_type,
    event_time,
    amount
from typed
where event_type in ('click', 'view', 'purchase')
  and user_id is not null
