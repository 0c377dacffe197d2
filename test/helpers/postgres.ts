// Where the test PostgreSQL is (started by scripts/postgres.sh): one place for every suite that talks to it.
export const PG_CONNECTION = {
  host: process.env.TSDBT_PG_HOST ?? '127.0.0.1',
  port: Number(process.env.TSDBT_PG_PORT ?? 5432),
  user: process.env.TSDBT_PG_USER ?? 'tsdbt',
  password: process.env.TSDBT_PG_PASSWORD ?? 'tsdbt',
  database: process.env.TSDBT_PG_DATABASE ?? 'tsdbt',
};
