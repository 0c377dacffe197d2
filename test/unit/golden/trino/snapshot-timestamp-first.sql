-- transactional: false (Trino has no transactional DDL)
-- drop leftover intermediate
drop table if exists "iceberg"."gold"."daily_revenue__tsdbt_tmp";

-- build first snapshot
create table "iceberg"."gold"."daily_revenue__tsdbt_tmp" as
select src.*, lower(to_hex(md5(to_utf8(cast(src."day" as varchar) || '|' || cast(src."updated_at" as varchar))))) as dbt_scd_id, src."updated_at" as dbt_updated_at, src."updated_at" as dbt_valid_from, cast(null as timestamp) as dbt_valid_to
from (
with o as (select * from "postgresql"."raw"."orders")
select day, sum(amount) as revenue
from o
group by 1
-- the end

) as src;

-- move new table in
alter table "iceberg"."gold"."daily_revenue__tsdbt_tmp" rename to "iceberg"."gold"."daily_revenue";
