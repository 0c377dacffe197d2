{{ config(tags=['realtime']) }}
-- Per user: purchases per item-page view. A user with no views has a rate of 0 (not null):
-- they were shown nothing they could buy, so they converted nothing. A table rebuilt from
-- user_event_summary on every run: one row per user, so a rebuild costs the number of users,
-- not the history of events.
select
    user_id,
    views,
    purchases,
    coalesce({{ safe_divide('purchases', 'views') }}, cast(0 as decimal(18, 4))) as conversion_rate
from {{ ref('user_event_summary') }}
