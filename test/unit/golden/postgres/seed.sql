-- transactional: true
begin;

-- drop leftover intermediate
drop table if exists "warehouse"."gold"."daily_revenue__tsdbt_tmp";

-- load CSV (adapter bulk load)
/* create "warehouse"."gold"."daily_revenue__tsdbt_tmp" with column types day date, amount decimal(12,2), the others inferred from the file, then load /data/seeds/daily_revenue.csv (delimiter ",") */;

-- drop leftover backup
drop table if exists "warehouse"."gold"."daily_revenue__tsdbt_backup";

-- move old relation aside
do $tsdbt$
declare
  rel regclass := to_regclass('"gold"."daily_revenue"');
  kind text := (select case relkind when 'v' then 'view' when 'm' then 'materialized view' else 'table' end from pg_class where oid = rel);
  v record;
  g record;
  path text := current_setting('search_path');
begin
  if rel is not null and exists (select 1 from pg_depend d join pg_rewrite rw on rw.oid = d.objid
                                   where d.classid = 'pg_rewrite'::regclass and d.refclassid = 'pg_class'::regclass
                                     and d.refobjid = rel and rw.ev_class <> rel) then
    -- one detach at a time: two rebuilds whose tables share a view would otherwise drop its views in opposite orders
    perform pg_advisory_xact_lock(hashtext('tsdbt: detach dependent views'));
    create temp table if not exists tsdbt_no_rows (id int primary key) on commit drop;
    create temp table if not exists tsdbt_detached_views (
      target text not null, schema_name name not null, view_name name not null, relkind text not null, depth int not null,
      definition text not null, options text, owner name not null, acl aclitem[], comment text, populated boolean not null,
      indexes text[] not null, pending int not null default 1
        constraint "tsdbt: dependent views dropped and not recreated" references tsdbt_no_rows deferrable initially deferred
    ) on commit drop;
    perform set_config('search_path', 'pg_catalog', true); -- definitions come out fully qualified
    insert into pg_temp.tsdbt_detached_views (target, schema_name, view_name, relkind, depth, definition, options, owner, acl, comment, populated, indexes)
    with recursive dependents(oid, depth) as (
      select rw.ev_class, 1 from pg_depend d join pg_rewrite rw on rw.oid = d.objid
       where d.classid = 'pg_rewrite'::regclass and d.refclassid = 'pg_class'::regclass and d.refobjid = rel and rw.ev_class <> rel
      union
      select rw.ev_class, dep.depth + 1 from dependents dep
        join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.refclassid = 'pg_class'::regclass and d.refobjid = dep.oid
        join pg_rewrite rw on rw.oid = d.objid and rw.ev_class <> dep.oid
    )
    select '"gold"."daily_revenue"', n.nspname, c.relname, c.relkind, max(dep.depth), regexp_replace(pg_get_viewdef(c.oid), ';\s*$', ''),
           array_to_string(c.reloptions, ', '), pg_get_userbyid(c.relowner), c.relacl, obj_description(c.oid, 'pg_class'), c.relispopulated,
           array(select pg_get_indexdef(i.indexrelid) from pg_index i where i.indrelid = c.oid)
      from dependents dep join pg_class c on c.oid = dep.oid join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('v', 'm')
     group by c.oid, n.nspname, c.relname, c.relkind;
    perform set_config('search_path', path, true);
    for v in select * from pg_temp.tsdbt_detached_views where target = '"gold"."daily_revenue"' order by depth desc loop
      execute format('drop %s %I.%I', case v.relkind when 'm' then 'materialized view' else 'view' end, v.schema_name, v.view_name);
    end loop;
  end if;
end
$tsdbt$;
alter table "warehouse"."gold"."daily_revenue" rename to "daily_revenue__tsdbt_backup";

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

-- drop old relation
drop table if exists "warehouse"."gold"."daily_revenue__tsdbt_backup";

commit;
