-- Month by month, monthly_revenue must equal the sum of daily_revenue over the days of that month
-- (same orders and revenue; a month present on one side only is a failure too). Returns the
-- months that disagree.
with daily_by_month as (

    select
        cast(date_trunc('month', order_date) as date) as order_month,
        sum(orders) as orders,
        sum(revenue) as revenue
    from {{ ref('daily_revenue') }}
    group by cast(date_trunc('month', order_date) as date)

)

select
    coalesce(m.order_month, d.order_month) as order_month,
    m.orders as monthly_orders,
    d.orders as daily_orders,
    m.revenue as monthly_revenue,
    d.revenue as daily_revenue
from {{ ref('monthly_revenue') }} as m
full outer join daily_by_month as d
    on d.order_month = m.order_month
where m.order_month is null
   or d.order_month is null
   or m.orders <> d.orders
   or m.revenue <> d.revenue
