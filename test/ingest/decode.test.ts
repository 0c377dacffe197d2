// The record decoder: what it accepts must be exactly what PostgreSQL would store (canonical text), and everything
// else becomes a dead-letter reason instead of an exception. Pure: no services.
import { describe, expect, it } from 'vitest';
import { parseColumnType } from '../../src/ingest/column-types.js';
import type { ColumnSpec } from '../../src/ingest/config.js';
import { jsonDecoder } from '../../src/ingest/decode.js';

const col = (name: string, type: string, required = false, field = name): ColumnSpec => ({ name, field, type: parseColumnType(type)!, required });
const one = (type: string) => {
  const d = jsonDecoder([col('v', type)]);
  return (v: unknown) => {
    const r = d(Buffer.from(JSON.stringify({ v })));
    return r.ok ? r.row[0] : `INVALID: ${r.reason}`;
  };
};

describe('jsonDecoder', () => {
  it('decodes a user event into canonical column texts', () => {
    const d = jsonDecoder([col('event_id', 'bigint', true), col('user_id', 'integer'), col('event_type', 'text', true), col('event_time', 'timestamp(6)', true), col('amount', 'numeric(12,2)'), col('kind', 'text', false, 'type')]);
    const r = d(Buffer.from('{"event_id": 1, "user_id": null, "event_type": "click", "event_time": "2024-01-18T01:02:03Z", "amount": 12.5, "type": "x", "extra": [1]}'));
    expect(r).toEqual({ ok: true, row: ['1', null, 'click', '2024-01-18 01:02:03', '12.50', 'x'] });
  });

  it('turns poison into reasons, never exceptions', () => {
    const d = jsonDecoder([col('id', 'bigint', true), col('constructor', 'text')]);
    const reason = (b: Buffer | null) => {
      const r = d(b);
      return r.ok ? 'ok' : r.reason;
    };
    expect(reason(null)).toMatch(/tombstone/);
    expect(reason(Buffer.alloc(0))).toMatch(/empty/);
    expect(reason(Buffer.from([0x7b, 0xff, 0x7d]))).toMatch(/not valid UTF-8/);
    expect(reason(Buffer.from('{"id": 1'))).toMatch(/not valid JSON/);
    expect(reason(Buffer.from('[1]'))).toMatch(/must be a JSON object/);
    expect(reason(Buffer.from(`${'['.repeat(100_000)}${']'.repeat(100_000)}`))).toMatch(/must be a JSON object/);
    expect(reason(Buffer.from('{"x": 1}'))).toMatch(/required field 'id' is missing/);
    expect(reason(Buffer.from('{"id": null}'))).toMatch(/required field 'id' is null/);
    expect(reason(Buffer.from('{"id": 1}'))).toBe('ok'); // 'constructor' is absent, not Object.prototype.constructor
  });

  it('checks integers against their range and precision', () => {
    const int = one('integer');
    const big = one('bigint');
    expect(int(42)).toBe('42');
    expect(int('-7')).toBe('-7');
    expect(int(1.5)).toMatch(/INVALID: .*expected an integer/);
    expect(int(2 ** 31)).toMatch(/out of range for a 32-bit integer/);
    expect(big('9223372036854775807')).toBe('9223372036854775807');
    expect(big('9223372036854775808')).toMatch(/out of range/);
    expect(big(2 ** 53 + 2)).toMatch(/beyond 2\^53/);
    expect(one('smallint')(40_000)).toMatch(/out of range/);
  });

  it('rounds numerics half away from zero and rejects what does not fit', () => {
    const n = one('numeric(12,2)');
    expect(n(1.005)).toBe('1.01');
    expect(n('-2.345')).toBe('-2.35');
    expect(n('-0.001')).toBe('0.00');
    expect(n('1e3')).toBe('1000.00');
    expect(n('9999999999.995')).toMatch(/does not fit/);
    expect(n('9999999999.994')).toBe('9999999999.99');
    expect(n('1e999999')).toMatch(/INVALID/);
    expect(n('abc')).toMatch(/expected a decimal/);
    expect(one('numeric')('00012.3400')).toBe('12.34');
  });

  it('validates timestamps and dates, applying offsets', () => {
    const ts = one('timestamp');
    const tz = one('timestamptz');
    expect(ts('2024-01-18T01:02:03.5+01:00')).toBe('2024-01-18 00:02:03.5');
    expect(ts('2024-01-01 00:30:00-0100')).toBe('2024-01-01 01:30:00');
    expect(tz('2024-02-29 23:59:59')).toBe('2024-02-29 23:59:59+00');
    expect(ts('2023-02-29 00:00:00')).toMatch(/INVALID/);
    expect(ts('2024-01-18 24:00:00')).toMatch(/INVALID/);
    expect(ts(1705539723000)).toMatch(/INVALID/);
    expect(one('date')('2024-12-31')).toBe('2024-12-31');
    expect(one('date')('2024-13-01')).toMatch(/INVALID/);
  });

  it('rejects text PostgreSQL cannot store', () => {
    const t = one('text');
    expect(t('tab\tand\nnewline')).toBe('tab\tand\nnewline');
    expect(t('nul\u0000')).toMatch(/NUL/);
    expect(t('\ud800x')).toMatch(/surrogate/);
    expect(t(5)).toMatch(/expected a string/);
    expect(one('varchar(3)')('abcd')).toMatch(/longer than 3/);
    expect(one('varchar(3)')('😀😀😀')).toBe('😀😀😀');
    expect(one('jsonb')({ a: ['b', { c: 'nul\u0000' }] })).toMatch(/NUL/);
    expect(one('jsonb')({ a: [1, { b: true }] })).toBe('{"a":[1,{"b":true}]}');
    expect(one('real')(1e39)).toMatch(/out of range/);
    expect(one('boolean')('true')).toMatch(/INVALID/);
    expect(one('uuid')('6F9619FF-8B86-D011-B42D-00C04FC964FF')).toBe('6f9619ff-8b86-d011-b42d-00c04fc964ff');
  });
});
