-- transactional: true
begin;

-- drop leftover intermediate
drop table if exists "warehouse"."gold"."daily_revenue__tsdbt_tmp";

-- build batch rows
create table "warehouse"."gold"."daily_revenue__tsdbt_tmp" as (
select day, sum(amount) as revenue
from "warehouse"."silver"."orders"
group by 1
);

-- delete the batch window
delete from "warehouse"."gold"."daily_revenue" where "day" >= cast('2024-04-01 00:00:00.000' as timestamp) and "day" < cast('2024-04-02 00:00:00.000' as timestamp);

-- insert batch rows
insert into "warehouse"."gold"."daily_revenue" ("day", "revenue")
select "day", "revenue" from "warehouse"."gold"."daily_revenue__tsdbt_tmp";

-- drop intermediate
drop table if exists "warehouse"."gold"."daily_revenue__tsdbt_tmp";

-- forget previous load of this batch
delete from "warehouse"."gold"."__tsdbt_batches" where model = 'model.p.daily_revenue' and batch_start = cast('2024-04-01 00:00:00.000' as timestamp);

-- record batch
insert into "warehouse"."gold"."__tsdbt_batches" (model, batch_start, batch_end, rows_loaded, loaded_at)
select 'model.p.daily_revenue', cast('2024-04-01 00:00:00.000' as timestamp), cast('2024-04-02 00:00:00.000' as timestamp), (select count(*) from "warehouse"."gold"."daily_revenue" where "day" >= cast('2024-04-01 00:00:00.000' as timestamp) and "day" < cast('2024-04-02 00:00:00.000' as timestamp)), cast('2024-05-01 12:00:00.000' as timestamp);

commit;
