-- Daily and monthly revenue are two views of the same orders: their totals must be equal, and
-- the last running total must equal the sum. Returns a row when they disagree.
with daily as (

    select sum(revenue) as total, max(cumulative_revenue) as running_total
    from {{ ref('daily_revenue') }}

),

monthly as (

    select sum(revenue) as total
    from {{ ref('monthly_revenue') }}

)

select daily.total as daily_total, daily.running_total, monthly.total as monthly_total
from daily
cross join monthly
where daily.total <> monthly.total
   or daily.running_total <> daily.total
