-- transactional: true
begin;

-- drop leftover intermediate
drop table if exists "warehouse"."gold"."daily_revenue__tsdbt_tmp";

-- build intermediate table
create table "warehouse"."gold"."daily_revenue__tsdbt_tmp" as (
select day, sum(amount) as revenue
from "warehouse"."silver"."orders"
group by 1
);

-- move new table in
alter table "warehouse"."gold"."daily_revenue__tsdbt_tmp" rename to "daily_revenue";
do $tsdbt$
declare
  v record;
  g record;
  path text := current_setting('search_path');
begin
  if to_regclass('pg_temp.tsdbt_detached_views') is not null then
    for v in select * from pg_temp.tsdbt_detached_views where target = '"gold"."daily_revenue"' order by depth loop
      begin
        execute format('create %s %I.%I%s as %s%s', case v.relkind when 'm' then 'materialized view' else 'view' end, v.schema_name, v.view_name,
          case when v.options is null then '' else ' with (' || v.options || ')' end, v.definition,
          case v.relkind when 'm' then case when v.populated then ' with data' else ' with no data' end else '' end);
      exception when others then
        raise exception 'cannot recreate % %.%, which selects from %: %', case v.relkind when 'm' then 'materialized view' else 'view' end, v.schema_name, v.view_name, v.target, sqlerrm
          using hint = format('the rebuilt relation no longer has what the view uses (a dropped or renamed column?); change the view, or drop it (drop %s %I.%I) and run again: a view that is a tsdbt model is rebuilt by the run', case v.relkind when 'm' then 'materialized view' else 'view' end, v.schema_name, v.view_name);
      end;
      for g in select a.grantee, a.privilege_type, a.is_grantable from aclexplode(v.acl) a where a.grantee <> (select oid from pg_roles where rolname = v.owner) loop
        execute format('grant %s on %I.%I to %s%s', g.privilege_type, v.schema_name, v.view_name,
          case when g.grantee = 0 then 'public' else quote_ident(pg_get_userbyid(g.grantee)) end, case when g.is_grantable then ' with grant option' else '' end);
      end loop;
      if v.owner <> current_user then execute format('alter %s %I.%I owner to %I', case v.relkind when 'm' then 'materialized view' else 'view' end, v.schema_name, v.view_name, v.owner); end if;
      if v.comment is not null then execute format('comment on %s %I.%I is %L', case v.relkind when 'm' then 'materialized view' else 'view' end, v.schema_name, v.view_name, v.comment); end if;
      for i in 1 .. coalesce(array_length(v.indexes, 1), 0) loop execute v.indexes[i]; end loop;
      delete from pg_temp.tsdbt_detached_views where schema_name = v.schema_name and view_name = v.view_name;
    end loop;
  end if;
end
$tsdbt$;

commit;
