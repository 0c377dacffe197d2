-- transactional: false (Trino has no transactional DDL)
-- create view
create or replace view "iceberg"."gold"."daily_revenue" as
with o as (select * from "postgresql"."raw"."orders")
select day, sum(amount) as revenue
from o
group by 1;
