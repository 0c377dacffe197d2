{{ config(tags=['finance']) }}
-- Per calendar month: orders, revenue, the previous month's revenue and month-over-month growth
-- ((revenue - previous) / previous; null for the first month).
with monthly as (

    select order_month, count(*) as orders, sum(amount) as revenue
    from {{ ref('int_purchases') }}
    group by order_month

),

with_previous as (

    select
        order_month,
        orders,
        revenue,
        lag(revenue) over (order by order_month) as previous_revenue
    from monthly

)

select
    order_month,
    orders,
    revenue,
    previous_revenue,
    {{ safe_divide('revenue - previous_revenue', 'previous_revenue') }} as mom_growth
from with_previous
