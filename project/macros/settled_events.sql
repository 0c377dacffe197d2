{#
  settled_events(relation, columns): the CTEs `previous` (incremental runs only), `events` and
  `horizon` that the live incremental marts share.

  Counts are added up run after run, and an event may reach the raw table a little after newer
  ones (Kafka partitions are written independently), so events are split in two:
    - settled: event_time <= settled_through = newest event_time - var('late_arrival_seconds').
      They are final; a mart keeps their counts in its settled_* columns;
    - recent: event_time > settled_through, counted again on every run.
  `events` holds `columns` of the events after the previous run's settled_through (all of them
  on a first run or --full-refresh); `horizon` is the new settled_through, which never moves
  back. Exact as long as no event arrives more than late_arrival_seconds (in event time) after a
  newer one.
#}
{% macro settled_events(relation, columns) -%}
{%- set late_window = "interval '" ~ var('late_arrival_seconds') ~ "' second" -%}
{% if is_incremental() %}
previous as (

    select coalesce(max(settled_through), cast('1900-01-01 00:00:00' as timestamp(6))) as settled_through
    from {{ this }}

),
{% endif %}

events as (

    select {{ columns | join(', ') }}
    from {{ relation }}
    {% if is_incremental() %}
    where event_time > (select settled_through from previous)
    {% endif %}

),

horizon as (

    select
        {% if is_incremental() %}
        coalesce(
            greatest(max(event_time) - {{ late_window }}, (select settled_through from previous)),
            (select settled_through from previous)
        ) as settled_through
        {% else %}
        max(event_time) - {{ late_window }} as settled_through
        {% endif %}
    from events

)
{%- endmacro %}
