-- One row per catalog item with a canonical category and a typed price.
select
    cast(item_id as integer) as item_id,
    lower(trim(category)) as category,
    cast(price as decimal(10, 2)) as price
from {{ source('raw', 'items') }}
where item_id is not null
