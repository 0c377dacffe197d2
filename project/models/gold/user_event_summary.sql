{{
    config(
        materialized='incremental',
        incremental_strategy='merge',
        unique_key='user_id',
        tags=['realtime']
    )
}}
-- Per user: how many clicks, views and purchases, and when they were first and last seen.
--
-- Incremental, so that a run costs time in proportion to the newest events, not to the history
-- (this mart follows the live stream: `tsdbt run --every 2s -s tag:realtime`). Events are split
-- into settled and recent ones by macros/settled_events.sql; settled counts are kept in
-- settled_clicks/views/purchases, and a run merges the users it saw on user_id.
-- `--full-refresh` recounts everything.
with

{{ settled_events(ref('int_events_enriched'), ['user_id', 'country', 'event_type', 'event_time']) }},

recent as (

    select
        e.user_id,
        e.country,
        count(case when e.event_type = 'click' then 1 end) as clicks,
        count(case when e.event_type = 'view' then 1 end) as views,
        count(case when e.event_type = 'purchase' then 1 end) as purchases,
        count(case when e.event_type = 'click' and e.event_time <= h.settled_through then 1 end) as newly_settled_clicks,
        count(case when e.event_type = 'view' and e.event_time <= h.settled_through then 1 end) as newly_settled_views,
        count(case when e.event_type = 'purchase' and e.event_time <= h.settled_through then 1 end) as newly_settled_purchases,
        min(e.event_time) as first_event_at,
        max(e.event_time) as last_event_at,
        max(h.settled_through) as settled_through
    from events as e
    cross join horizon as h
    group by e.user_id, e.country

),

totals as (

    select
        r.user_id,
        r.country,
        {% if is_incremental() %}
        coalesce(t.settled_clicks, 0) as old_clicks,
        coalesce(t.settled_views, 0) as old_views,
        coalesce(t.settled_purchases, 0) as old_purchases,
        case when t.first_event_at < r.first_event_at then t.first_event_at else r.first_event_at end as first_event_at,
        {% else %}
        0 as old_clicks,
        0 as old_views,
        0 as old_purchases,
        r.first_event_at,
        {% endif %}
        r.clicks,
        r.views,
        r.purchases,
        r.newly_settled_clicks,
        r.newly_settled_views,
        r.newly_settled_purchases,
        r.last_event_at,
        r.settled_through
    from recent as r
    {% if is_incremental() %}
    left join {{ this }} as t
        on t.user_id = r.user_id
    {% endif %}

)

select
    user_id,
    country,
    cast(old_clicks + clicks as bigint) as clicks,
    cast(old_views + views as bigint) as views,
    cast(old_purchases + purchases as bigint) as purchases,
    cast(old_clicks + old_views + old_purchases + clicks + views + purchases as bigint) as total_events,
    first_event_at,
    last_event_at,
    cast(old_clicks + newly_settled_clicks as bigint) as settled_clicks,
    cast(old_views + newly_settled_views as bigint) as settled_views,
    cast(old_purchases + newly_settled_purchases as bigint) as settled_purchases,
    settled_through
from totals
