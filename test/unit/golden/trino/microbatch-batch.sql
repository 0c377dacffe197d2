-- transactional: false (Trino has no transactional DDL)
-- drop leftover intermediate
drop table if exists "iceberg"."gold"."daily_revenue__tsdbt_tmp";

-- build batch rows
create table "iceberg"."gold"."daily_revenue__tsdbt_tmp" as
with o as (select * from "postgresql"."raw"."orders")
select day, sum(amount) as revenue
from o
group by 1;

-- delete the batch window
delete from "iceberg"."gold"."daily_revenue" where "day" >= cast('2024-04-01 00:00:00.000' as timestamp) and "day" < cast('2024-04-02 00:00:00.000' as timestamp);

-- insert batch rows
insert into "iceberg"."gold"."daily_revenue" ("day", "revenue")
select "day", "revenue" from "iceberg"."gold"."daily_revenue__tsdbt_tmp";

-- drop intermediate
drop table if exists "iceberg"."gold"."daily_revenue__tsdbt_tmp";

-- forget previous load of this batch
delete from "iceberg"."gold"."__tsdbt_batches" where model = 'model.p.daily_revenue' and batch_start = cast('2024-04-01 00:00:00.000' as timestamp);

-- record batch
insert into "iceberg"."gold"."__tsdbt_batches" (model, batch_start, batch_end, rows_loaded, loaded_at)
select 'model.p.daily_revenue', cast('2024-04-01 00:00:00.000' as timestamp), cast('2024-04-02 00:00:00.000' as timestamp), (select count(*) from "iceberg"."gold"."daily_revenue" where "day" >= cast('2024-04-01 00:00:00.000' as timestamp) and "day" < cast('2024-04-02 00:00:00.000' as timestamp)), cast('2024-05-01 12:00:00.000' as timestamp);
