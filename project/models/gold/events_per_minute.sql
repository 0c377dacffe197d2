{{
    config(
        materialized='incremental',
        incremental_strategy='merge',
        unique_key=['event_minute', 'event_type'],
        tags=['realtime']
    )
}}
-- Events per minute and type, the feed behind the live traffic chart.
--
-- Incremental in time proportional to the newest events (see macros/settled_events.sql):
-- events at or before settled_through (newest event_time - var('late_arrival_seconds')) are final
-- and counted in settled_count; later ones are counted again on every run. A run reads only the
-- events after the previous settled_through and merges the minutes it saw on the unique key
-- (spelled out: some adapters default to append and would duplicate a minute).
with

{{ settled_events(ref('int_events_enriched'), ['event_minute', 'event_type', 'event_time']) }},

recent as (

    select
        e.event_minute,
        e.event_type,
        count(*) as event_count,
        count(case when e.event_time <= h.settled_through then 1 end) as newly_settled,
        max(h.settled_through) as settled_through
    from events as e
    cross join horizon as h
    group by e.event_minute, e.event_type

)

select
    r.event_minute,
    r.event_type,
    {% if is_incremental() %}
    cast(coalesce(t.settled_count, 0) + r.event_count as bigint) as event_count,
    cast(coalesce(t.settled_count, 0) + r.newly_settled as bigint) as settled_count,
    {% else %}
    cast(r.event_count as bigint) as event_count,
    cast(r.newly_settled as bigint) as settled_count,
    {% endif %}
    r.settled_through
from recent as r
{% if is_incremental() %}
left join {{ this }} as t
    on t.event_minute = r.event_minute
    and t.event_type = r.event_type
{% endif %}
