-- Every clean event with who did it (country, age) and what it was about (category, price),
-- plus the time buckets the marts group by.
select
    e.event_id,
    e.user_id,
    e.item_id,
    e.event_type,
    e.event_time,
    cast(e.event_time as date) as event_date,
    date_trunc('minute', e.event_time) as event_minute,
    e.amount,
    u.country,
    u.age,
    i.category,
    i.price
from {{ ref('stg_user_events') }} as e
inner join {{ ref('stg_users') }} as u
    on u.user_id = e.user_id
left join {{ ref('stg_items') }} as i
    on i.item_id = e.item_id
