-- The ingester's streaming counters, typed; reconciled against stg_user_events by a singular test.
select
    cast(user_id as integer) as user_id,
    {{ normalize_event_type('event_type') }} as event_type,
    cast(event_count as bigint) as event_count
from {{ source('raw', 'user_event_counts') }}
