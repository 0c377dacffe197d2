-- Per user: how many clicks, views and purchases, and when they were first and last seen.
select
    user_id,
    country,
    count(case when event_type = 'click' then 1 end) as clicks,
    count(case when event_type = 'view' then 1 end) as views,
    count(case when event_type = 'purchase' then 1 end) as purchases,
    count(*) as total_events,
    min(event_time) as first_event_at,
    max(event_time) as last_event_at
from {{ ref('int_events_enriched') }}
group by user_id, country
