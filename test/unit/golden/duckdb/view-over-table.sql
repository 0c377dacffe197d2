-- transactional: true
begin;

-- drop table replaced by view
drop table if exists "warehouse"."gold"."daily_revenue";

-- create view
create or replace view "warehouse"."gold"."daily_revenue" as (
select day, sum(amount) as revenue
from "warehouse"."silver"."orders"
group by 1
);

commit;
