// The profile keys of a postgres target as pg's client sees them, and the one-line errors users get.
import { describe, expect, it } from 'vitest';
import { describePgError } from '../../src/adapters/postgres/errors.js';
import { poolConfig } from '../../src/adapters/postgres/settings.js';
import type { TargetConfig } from '../../src/compiler/profiles.js';

const target = (settings: Record<string, unknown>): TargetConfig => ({
  name: 'prod', profileName: 'p', type: 'postgres', schema: 'analytics', database: String(settings.dbname ?? settings.database ?? ''), threads: 1,
  settings: { type: 'postgres', host: 'db.example', port: 6543, user: 'etl', password: 'hunter2-secret', ...settings }, profilesFile: '/p/profiles.yml',
});

describe('postgres settings', () => {
  it('reads dbname (or database), connect_timeout in seconds and sslmode', () => {
    const c = poolConfig(target({ dbname: 'wh', connect_timeout: 3, sslmode: 'require' }));
    expect(c).toMatchObject({ host: 'db.example', port: 6543, user: 'etl', database: 'wh', connectionTimeoutMillis: 3000, ssl: { rejectUnauthorized: false } });
    expect(poolConfig(target({ database: 'alt' })).database).toBe('alt');
    expect(poolConfig(target({ sslmode: 'disable' })).ssl).toBe(false);
    expect(poolConfig(target({ sslmode: 'verify-full' })).ssl).toMatchObject({ rejectUnauthorized: true });
  });

  it('rejects an unknown sslmode and a port that is not a number', () => {
    expect(() => poolConfig(target({ sslmode: 'sometimes' }))).toThrow(/sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full/);
    expect(() => poolConfig(target({ port: 'abc' }))).toThrow(/port must be a number/);
  });

  it('describes driver errors in one line with target, host and port, never the password', () => {
    const t = target({ dbname: 'wh' });
    const lines = [
      describePgError(Object.assign(new Error(''), { code: 'ECONNREFUSED' }), t),
      describePgError({ errors: [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED ::1:6543' }] }, t),
      describePgError(Object.assign(new Error('password authentication failed for user "etl"'), { code: '28P01' }), t),
      describePgError(Object.assign(new Error('database "wh" does not exist'), { code: '3D000' }), t),
      describePgError(new Error('boom: hunter2-secret leaked by a driver'), t),
    ];
    for (const l of lines) {
      expect(l).toMatch(/^target 'prod' \(postgres etl@db\.example:6543\/wh\): /);
      expect(l).not.toContain('\n');
      expect(l).not.toContain('hunter2-secret');
    }
    expect(lines[0]).toContain('connection refused: is PostgreSQL running and listening on db.example:6543?');
    expect(lines[1]).toContain('connection refused');
    expect(lines[2]).toContain("password authentication failed for user 'etl': check user and password in /p/profiles.yml");
    expect(lines[3]).toContain("database 'wh' does not exist on db.example:6543");
  });
});
