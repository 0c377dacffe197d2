// PostgreSQL bad input, as a user meets it through the CLI: a wrong password, a refused port and a missing
// database each give one line naming the target, host and port and what to check; the password never appears in
// stdout, stderr or anything under target/, whether the login fails or succeeds.
import { expect, it } from 'vitest';
import { tsdbt, writeProject } from '../helpers/project.js';
import { PG, pgClient, pgProfile } from './engines.js';
import { artifacts, describeEngines, expectExit } from './harness.js';

const MODEL = { 'models/m.sql': "{{ config(materialized='table') }}\nselect 1 as id, '{{ target.schema }}' as s\n", 'seeds/s.csv': 'id\n1\n' };

function run(profile: string, env: Record<string, string>, args = ['build']) {
  const dir = writeProject({ ...MODEL, 'profiles.yml': profile });
  const r = tsdbt([...args, '--project-dir', dir], { cwd: dir, env });
  return { ...r, dir, all: `${r.stdout}\n${r.stderr}\n${artifacts(dir)}` };
}

describeEngines('postgres connection errors', () => {
  it('wrong password: one clear line, and the password is nowhere in the output or artifacts', () => {
    const secret = `Wr0ng-Pa55-${Math.random().toString(36).slice(2, 10)}`;
    for (const args of [['build'], ['run'], ['seed'], ['debug']]) {
      const r = run(pgProfile('tsdbt_conf_never'), { TSDBT_PG_PASSWORD: secret }, args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.all).not.toContain(secret);
    }
    const r = run(pgProfile('tsdbt_conf_never'), { TSDBT_PG_PASSWORD: secret });
    const line = r.stderr.trim();
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toContain(`target 'dev'`);
    expect(line).toContain(`${PG.host}:${PG.port}`);
    expect(line).toMatch(/password authentication failed for user '.+': check user and password in .*profiles\.yml/);
  });

  it('connection refused: names host and port and says what to check', () => {
    const r = run(pgProfile('tsdbt_conf_never').replace(`port: ${PG.port}`, 'port: 1'), {});
    expectExit(r, 1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`target 'dev' .*${PG.host}:1.*connection refused: is PostgreSQL running and listening on ${PG.host}:1\\? Check host and port`));
  });

  it('missing database: names it and says how to fix it', () => {
    const r = run(pgProfile('tsdbt_conf_never', 'conf_no_such_db'), {});
    expectExit(r, 1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`database 'conf_no_such_db' does not exist on ${PG.host}:${PG.port}`);
  });

  it('a successful build with a distinctive password leaves it out of every artifact', async () => {
    const suffix = Math.random().toString(36).slice(2, 10);
    const user = `tsdbt_conf_user_${suffix}`;
    const secret = `S3cret-${suffix}-Pw`;
    const schema = `tsdbt_conf_pw_${suffix}`;
    const admin = await pgClient();
    try {
      await admin.query(`create role ${user} login password '${secret}'; grant create on database ${PG.database} to ${user}`);
      const profile = pgProfile(schema).replace(`user: ${PG.user}`, `user: ${user}`);
      const r = run(profile, { TSDBT_PG_PASSWORD: secret }, ['build']);
      expectExit(r, 0);
      expect(r.all).not.toContain(secret);
      expect((await admin.query(`select count(*)::int as n from ${schema}.m`)).rows[0].n).toBe(1);
    } finally {
      await admin.query(`drop schema if exists ${schema} cascade; revoke create on database ${PG.database} from ${user}; drop role if exists ${user}`);
      await admin.end();
    }
  });
}, ['postgres']);
