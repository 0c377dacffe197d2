-- transactional: false (Trino has no transactional DDL)
-- replace table
create or replace table "iceberg"."gold"."daily_revenue" as
with o as (select * from "postgresql"."raw"."orders")
select day, sum(amount) as revenue
from o
group by 1;
