-- transactional: true
begin;

-- drop leftover intermediate
drop table if exists "warehouse"."gold"."daily_revenue__tsdbt_tmp";

-- build first snapshot
create table "warehouse"."gold"."daily_revenue__tsdbt_tmp" as (
select src.*, md5(cast(src."day" as varchar) || '|' || cast(src."updated_at" as varchar)) as dbt_scd_id, src."updated_at" as dbt_updated_at, src."updated_at" as dbt_valid_from, cast(null as timestamp) as dbt_valid_to
from (
select day, sum(amount) as revenue
from "warehouse"."silver"."orders"
group by 1
) as src
);

-- move new table in
alter table "warehouse"."gold"."daily_revenue__tsdbt_tmp" rename to "daily_revenue";

commit;
