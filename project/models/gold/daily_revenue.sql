{{ config(tags=['daily', 'finance']) }}
-- Per day with orders: order count, revenue, average order value and the running total.
with daily as (

    select order_date, count(*) as orders, sum(amount) as revenue
    from {{ ref('int_purchases') }}
    group by order_date

)

select
    order_date,
    orders,
    revenue,
    {{ safe_divide('revenue', 'orders', 2) }} as avg_order_value,
    sum(revenue) over (order by order_date rows between unbounded preceding and current row) as cumulative_revenue
from daily
