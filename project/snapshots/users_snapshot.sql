{#
  Type-2 history of the user directory: a new version of a user whenever their country or age
  changes, with dbt_valid_from / dbt_valid_to.
#}
{% snapshot users_snapshot %}

{{
    config(
        target_schema='snapshots',
        unique_key='user_id',
        strategy='check',
        check_cols=['country', 'age']
    )
}}

select user_id, name, country, age, signup_date
from {{ ref('stg_users') }}

{% endsnapshot %}
