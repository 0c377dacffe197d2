-- transactional: true
begin;

-- drop leftover intermediate
drop table if exists "warehouse"."gold"."daily_revenue__tsdbt_tmp";

-- load CSV
create table "warehouse"."gold"."daily_revenue__tsdbt_tmp" as select * from read_csv('/data/seeds/daily_revenue.csv', header = true, auto_detect = true, delim = ',', sample_size = -1, types = {'day': 'date', 'amount': 'decimal(12,2)'});

-- drop leftover backup
drop table if exists "warehouse"."gold"."daily_revenue__tsdbt_backup";

-- move old relation aside
alter table "warehouse"."gold"."daily_revenue" rename to "daily_revenue__tsdbt_backup";

-- move new table in
alter table "warehouse"."gold"."daily_revenue__tsdbt_tmp" rename to "daily_revenue";

-- drop old relation
drop table if exists "warehouse"."gold"."daily_revenue__tsdbt_backup";

commit;
