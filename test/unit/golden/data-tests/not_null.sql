select *
from "demo"."main"."orders"
where order_id is null
