-- transactional: false (Trino has no transactional DDL)
-- drop leftover intermediate
drop table if exists "iceberg"."gold"."daily_revenue__tsdbt_tmp";

-- stage current source rows
create table "iceberg"."gold"."daily_revenue__tsdbt_tmp" as
with o as (select * from "postgresql"."raw"."orders")
select day, sum(amount) as revenue
from o
group by 1
-- the end;

-- add column orders
alter table "iceberg"."gold"."daily_revenue" add column "orders" bigint;

-- close changed rows
merge into "iceberg"."gold"."daily_revenue" as snap
using "iceberg"."gold"."daily_revenue__tsdbt_tmp" as src
on snap."day" = src."day" and snap.dbt_valid_to is null
when matched and (snap."revenue" is distinct from src."revenue") then update set dbt_valid_to = cast('2024-05-01 12:00:00.000' as timestamp);

-- close deleted rows
update "iceberg"."gold"."daily_revenue" set dbt_valid_to = cast('2024-05-01 12:00:00.000' as timestamp)
where dbt_valid_to is null and not exists (select 1 from "iceberg"."gold"."daily_revenue__tsdbt_tmp" as src where src."day" = "iceberg"."gold"."daily_revenue"."day");

-- insert new versions
insert into "iceberg"."gold"."daily_revenue" ("day", "revenue", "orders", "dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to")
select src."day", src."revenue", src."orders", lower(to_hex(md5(to_utf8(cast(src."day" as varchar) || '|' || cast(cast('2024-05-01 12:00:00.000' as timestamp) as varchar))))) as dbt_scd_id, cast('2024-05-01 12:00:00.000' as timestamp) as dbt_updated_at, cast('2024-05-01 12:00:00.000' as timestamp) as dbt_valid_from, cast(null as timestamp) as dbt_valid_to
from "iceberg"."gold"."daily_revenue__tsdbt_tmp" as src
where not exists (select 1 from "iceberg"."gold"."daily_revenue" as snap where snap."day" = src."day" and snap.dbt_valid_to is null);

-- drop intermediate
drop table if exists "iceberg"."gold"."daily_revenue__tsdbt_tmp";
