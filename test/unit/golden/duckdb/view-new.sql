-- transactional: true
begin;

-- create view
create or replace view "warehouse"."gold"."daily_revenue" as (
select day, sum(amount) as revenue
from "warehouse"."silver"."orders"
group by 1
);

commit;
