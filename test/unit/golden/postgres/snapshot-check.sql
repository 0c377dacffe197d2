-- transactional: true
begin;

-- drop leftover intermediate
drop table if exists "warehouse"."gold"."daily_revenue__tsdbt_tmp";

-- stage current source rows
create table "warehouse"."gold"."daily_revenue__tsdbt_tmp" as (
select day, sum(amount) as revenue
from "warehouse"."silver"."orders"
group by 1
);

-- add column orders
alter table "warehouse"."gold"."daily_revenue" add column "orders" bigint;

-- close changed rows
merge into "warehouse"."gold"."daily_revenue" as snap
using "warehouse"."gold"."daily_revenue__tsdbt_tmp" as src
on snap."day" = src."day" and snap.dbt_valid_to is null
when matched and (snap."revenue" is distinct from src."revenue") then update set dbt_valid_to = cast('2024-05-01 12:00:00.000' as timestamp);

-- close deleted rows
update "warehouse"."gold"."daily_revenue" set dbt_valid_to = cast('2024-05-01 12:00:00.000' as timestamp)
where dbt_valid_to is null and not exists (select 1 from "warehouse"."gold"."daily_revenue__tsdbt_tmp" as src where src."day" = "warehouse"."gold"."daily_revenue"."day");

-- insert new versions
insert into "warehouse"."gold"."daily_revenue" ("day", "revenue", "orders", "dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to")
select src."day", src."revenue", src."orders", md5(cast(src."day" as varchar) || '|' || cast(cast('2024-05-01 12:00:00.000' as timestamp) as varchar)) as dbt_scd_id, cast('2024-05-01 12:00:00.000' as timestamp) as dbt_updated_at, cast('2024-05-01 12:00:00.000' as timestamp) as dbt_valid_from, cast(null as timestamp) as dbt_valid_to
from "warehouse"."gold"."daily_revenue__tsdbt_tmp" as src
where not exists (select 1 from "warehouse"."gold"."daily_revenue" as snap where snap."day" = src."day" and snap.dbt_valid_to is null);

-- drop intermediate
drop table if exists "warehouse"."gold"."daily_revenue__tsdbt_tmp";

commit;
