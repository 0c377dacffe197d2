-- One row per user with typed columns and a canonical (upper case, trimmed) country code.
select
    cast(user_id as integer) as user_id,
    trim(name) as name,
    upper(trim(country)) as country,
    cast(age as integer) as age,
    cast(signup_date as date) as signup_date
from {{ source('raw', 'users') }}
where user_id is not null
