{{
    config(
        materialized='incremental',
        incremental_strategy='merge',
        unique_key=['event_minute', 'event_type'],
        tags=['realtime']
    )
}}
-- Events per minute and type, the feed behind the live traffic chart. Incremental: each run
-- recomputes from the newest minute already stored (which may have been partial) onwards and
-- merges those minutes on the unique key (spelled out: some adapters default to append and
-- would duplicate the last minute).
select
    event_minute,
    event_type,
    count(*) as event_count
from {{ ref('int_events_enriched') }}
{% if is_incremental() %}
where event_minute >= (select max(event_minute) from {{ this }})
{% endif %}
group by event_minute, event_type
