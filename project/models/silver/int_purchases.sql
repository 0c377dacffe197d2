{{ config(event_time='ordered_at') }}
-- Orders: purchase events whose amount is above var('min_purchase_amount'); zero-amount test
-- orders stay in the event counts but never in revenue. event_time lets microbatch models downstream
-- read only the batch they are building.
select
    event_id as order_id,
    user_id,
    item_id,
    country,
    category,
    amount,
    event_time as ordered_at,
    event_date as order_date,
    cast(date_trunc('month', event_time) as date) as order_month
from {{ ref('int_events_enriched') }}
where event_type = 'purchase'
  and amount > {{ var('min_purchase_amount') }}
