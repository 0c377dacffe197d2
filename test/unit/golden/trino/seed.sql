create table "iceberg"."raw"."items__tsdbt_tmp" (
  "id" integer,
  "name" varchar,
  "price" decimal(10,2),
  "day" date,
  "seen_at" timestamp(6),
  "flag" boolean,
  "note" varchar
);

insert into "iceberg"."raw"."items__tsdbt_tmp" ("id", "name", "price", "day", "seen_at", "flag", "note")
select cast(c1 as integer), cast(c2 as varchar), cast(c3 as decimal(10,2)), cast(c4 as date), cast(c5 as timestamp(6)), cast(c6 as boolean), cast(c7 as varchar)
from (values
('1', 'Smith, Jo', '1.50', '2024-01-02', '2024-01-02 10:00:00', 'true', null)
) as v (c1, c2, c3, c4, c5, c6, c7);

insert into "iceberg"."raw"."items__tsdbt_tmp" ("id", "name", "price", "day", "seen_at", "flag", "note")
select cast(c1 as integer), cast(c2 as varchar), cast(c3 as decimal(10,2)), cast(c4 as date), cast(c5 as timestamp(6)), cast(c6 as boolean), cast(c7 as varchar)
from (values
('2', 'O''Brien', '2', '2024-01-03', '2024-01-03 11:30:15.5', 'false', 'say "hi"')
) as v (c1, c2, c3, c4, c5, c6, c7);

insert into "iceberg"."raw"."items__tsdbt_tmp" ("id", "name", "price", "day", "seen_at", "flag", "note")
select cast(c1 as integer), cast(c2 as varchar), cast(c3 as decimal(10,2)), cast(c4 as date), cast(c5 as timestamp(6)), cast(c6 as boolean), cast(c7 as varchar)
from (values
('3', null, null, null, null, null, null)
) as v (c1, c2, c3, c4, c5, c6, c7);
