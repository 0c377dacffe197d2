-- RFM segmentation of every customer with at least one order.
--   recency:   days between the last order and the newest event in the data (not today, so
--              the result is deterministic): within 3 days = 4, 7 = 3, 14 = 2, older = 1
--   frequency: orders >= 5 = 4, 3..4 = 3, 2 = 2, 1 = 1
--   monetary:  quartile of total revenue (ntile(4), ties broken by user_id)
with customers as (

    select
        user_id,
        count(*) as orders,
        sum(amount) as total_revenue,
        max(ordered_at) as last_order_at
    from {{ ref('int_purchases') }}
    group by user_id

),

reference as (

    select max(event_time) as as_of
    from {{ ref('stg_user_events') }}

),

scored as (

    select
        c.user_id,
        c.orders,
        c.total_revenue,
        c.last_order_at,
        case
            when c.last_order_at >= r.as_of - interval '3' day then 4
            when c.last_order_at >= r.as_of - interval '7' day then 3
            when c.last_order_at >= r.as_of - interval '14' day then 2
            else 1
        end as recency_score,
        case
            when c.orders >= 5 then 4
            when c.orders >= 3 then 3
            when c.orders >= 2 then 2
            else 1
        end as frequency_score,
        ntile(4) over (order by c.total_revenue, c.user_id) as monetary_score
    from customers as c
    cross join reference as r

)

select
    user_id,
    orders,
    total_revenue,
    last_order_at,
    recency_score,
    frequency_score,
    cast(monetary_score as integer) as monetary_score,
    cast(recency_score + frequency_score + monetary_score as integer) as rfm_score,
    case
        when recency_score >= 3 and frequency_score >= 3 and monetary_score >= 3 then 'champion'
        when frequency_score >= 3 then 'loyal'
        when recency_score >= 3 then 'promising'
        when monetary_score >= 3 then 'at_risk'
        else 'hibernating'
    end as segment
from scored
