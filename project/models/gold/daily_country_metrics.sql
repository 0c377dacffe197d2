{{ config(tags=['daily']) }}
-- Per day and country: distinct active users, their average age, and how many events they made.
with user_days as (

    select event_date, country, user_id, age, count(*) as events
    from {{ ref('int_events_enriched') }}
    group by event_date, country, user_id, age

)

select
    event_date,
    country,
    count(*) as active_users,
    {{ safe_divide('sum(age)', 'count(*)') }} as avg_age,
    cast(sum(events) as bigint) as events
from user_days
group by event_date, country
