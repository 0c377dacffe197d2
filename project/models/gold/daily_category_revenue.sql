{{
    config(
        materialized='incremental',
        incremental_strategy='microbatch',
        event_time='order_day',
        batch_size='month',
        begin='2024-01-01',
        lookback=1,
        tags=['daily', 'finance']
    )
}}
-- Daily revenue per product category, built as an idempotent pipeline in monthly batches: each
-- batch reads only its month of int_purchases (through its event_time), replaces that month here,
-- and is recorded in gold.__tsdbt_batches. `tsdbt run` fills any month that failed or never ran;
-- `tsdbt run --event-time-start 2024-02-01 --event-time-end 2024-03-01` backfills February alone.
select
    cast(order_date as timestamp(6)) as order_day,
    category,
    count(*) as orders,
    sum(amount) as revenue
from {{ ref('int_purchases') }}
group by order_date, category
