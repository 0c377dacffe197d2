-- The ingester's streaming counters (raw.user_event_counts) must agree with a batch recount of
-- the cleaned events: every (user, event type) pair present on both sides with the same count.
-- Returns the pairs that disagree.
with batch as (

    select user_id, event_type, count(*) as event_count
    from {{ ref('stg_user_events') }}
    group by user_id, event_type

)

select
    coalesce(b.user_id, s.user_id) as user_id,
    coalesce(b.event_type, s.event_type) as event_type,
    b.event_count as batch_count,
    s.event_count as streaming_count
from batch as b
full outer join {{ ref('stg_user_event_counts') }} as s
    on s.user_id = b.user_id
    and s.event_type = b.event_type
where b.event_count is null
   or s.event_count is null
   or b.event_count <> s.event_count
