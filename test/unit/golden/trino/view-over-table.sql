-- transactional: false (Trino has no transactional DDL)
-- drop table replaced by view
drop table if exists "iceberg"."gold"."daily_revenue";

-- create view
create or replace view "iceberg"."gold"."daily_revenue" as
with o as (select * from "postgresql"."raw"."orders")
select day, sum(amount) as revenue
from o
group by 1;
