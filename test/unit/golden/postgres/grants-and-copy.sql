-- grant select
grant select on "warehouse"."gold"."daily_revenue" to "reporter", public;

-- grant insert
grant insert on "warehouse"."gold"."daily_revenue" to "Loader";

-- seed load
copy "warehouse"."gold"."daily_revenue__tsdbt_tmp" ("day", "amount", "note") from stdin with (format csv, header true, delimiter ',', force_null ("day", "amount"));
