import { parseToIr } from './src/docs/lineage/sql-parse.ts';
console.log(JSON.stringify(parseToIr(`select "Weird ""Name""" as x, 'it''s -- not a comment' as s, e.id /* c */ from "db"."s"."t" as e -- tail`, 'postgresql')));
console.log(JSON.stringify(parseToIr(`select "Weird ""Name""" as x from t`, 'postgresql')));
console.log(JSON.stringify(parseToIr(`select e.id from "db"."s"."t" as e -- tail`, 'postgresql')));
