import { parseToIr } from './dist/docs/lineage/sql-parse.js';
for (const s of [`select "Weird ""Name""" as x, 'it''s -- not a comment' as s, e.id /* c */ from "db"."s"."t" as e -- tail`, `select "Weird ""Name""" as x from t`, `select e.id from "db"."s"."t" as e -- tail`, `select 'it''s -- x' as s from t`])
console.log(JSON.stringify(parseToIr(s, 'postgresql')));
