// PostgreSQL spelling: the standard dialect except where PostgreSQL differs. Schemas cannot be database-qualified;
// identifiers are silently truncated at 63 bytes (so tsdbt's own intermediate names are shortened with a hash);
// renames, drops and view replacement keep dependent views bound by name (see view-rebinding.ts); seeds are bulk
// loaded with COPY FROM STDIN by the adapter; grants exist. Insert/delete/merge (PG 15)/alter column are standard.
import { createHash } from 'node:crypto';
import { BaseDialect, sqlString } from '../base-dialect.js';
import type { ColumnDef, RelationKind, RelationRef } from '../types.js';
import { detachViews, reattachViews } from './view-rebinding.js';

export const PG_MAX_IDENTIFIER_BYTES = 63;

/** Privileges a `grants:` key may name (anything else would be spliced into SQL). */
const PRIVILEGES = new Set(['select', 'insert', 'update', 'delete', 'truncate', 'references', 'trigger', 'all', 'all privileges']);

export class PostgresDialect extends BaseDialect {
  override readonly name = 'postgres';

  override quoteIdentifier(name: string): string {
    return super.quoteIdentifier(fitIdentifier(name));
  }

  override createSchema(_database: string, schema: string): string {
    return `create schema if not exists ${this.quoteIdentifier(schema)}`;
  }

  /** Drop-and-create rather than CREATE OR REPLACE, which PostgreSQL refuses when columns change; views over this
   * one are detached first and recreated after, in the same transaction. */
  override createView(r: RelationRef, sql: string): string {
    const key = this.key(r);
    return [
      detachViews(key, `  if kind in ('view', 'materialized view') then execute format('drop %s %s', kind, rel); end if;`),
      `create view ${this.relation(r)} as (\n${sql}\n)`,
      reattachViews(key),
    ].join(';\n');
  }

  /** ALTER TABLE renames views and materialized views too. Views over a model's relation are detached when it moves
   * aside and reattached when the new one moves in; tsdbt's intermediates have no views to keep. */
  override rename(r: RelationRef, _kind: RelationKind, newIdentifier: string): string {
    const to = { ...r, identifier: newIdentifier };
    return [
      isIntermediate(r.identifier) ? '' : detachViews(this.key(r)),
      `alter table ${this.relation(r)} rename to ${this.quoteIdentifier(newIdentifier)}`,
      isIntermediate(newIdentifier) ? '' : reattachViews(this.key(to)),
    ].filter(Boolean).join(';\n');
  }

  /** Dropping a model's relation (a table becoming a view) detaches the views over it for the create to reattach. */
  override drop(r: RelationRef, kind: RelationKind): string {
    const sql = super.drop(r, kind);
    return isIntermediate(r.identifier) ? sql : `${detachViews(this.key(r))};\n${sql}`;
  }

  createTable(r: RelationRef, columns: readonly ColumnDef[]): string {
    return `create table ${this.relation(r)} (${columns.map((c) => `${this.quoteIdentifier(c.name)} ${c.type}`).join(', ')})`;
  }

  /** The COPY a seed's CSV is streamed into; `forceNull` columns read quoted empty fields as NULL. */
  copyCsvFromStdin(r: RelationRef, columns: readonly string[], delimiter: string, forceNull: readonly string[] = []): string {
    const options = ['format csv', 'header true', `delimiter ${sqlString(delimiter)}`];
    if (forceNull.length) options.push(`force_null (${forceNull.map((c) => this.quoteIdentifier(c)).join(', ')})`);
    return `copy ${this.relation(r)} (${columns.map((c) => this.quoteIdentifier(c)).join(', ')}) from stdin with (${options.join(', ')})`;
  }

  grant(r: RelationRef, privilege: string, grantees: readonly string[]): string {
    const p = privilege.trim().toLowerCase();
    if (!PRIVILEGES.has(p)) throw new Error(`grants: '${privilege}' is not a PostgreSQL table privilege (use ${[...PRIVILEGES].join(', ')})`);
    const who = grantees.map((g) => (g.toLowerCase() === 'public' ? 'public' : this.quoteIdentifier(g))).join(', ');
    return `grant ${p} on ${this.relation(r)} to ${who}`;
  }

  /** Schema-qualified name, as to_regclass() reads it and as detached views are keyed. */
  private key(r: RelationRef): string {
    return `${this.quoteIdentifier(r.schema)}.${this.quoteIdentifier(r.identifier)}`;
  }
}

/** tsdbt's own `__tsdbt_tmp` / `__tsdbt_backup` relations (see materializations/types.ts `intermediate`). */
export function isIntermediate(identifier: string): boolean {
  return /__tsdbt_(tmp|backup)$/.test(identifier);
}

/**
 * PostgreSQL truncates identifiers over 63 bytes without an error, so `<63-byte model>__tsdbt_tmp` would collide
 * with the model itself. The compiler rejects user names over 63 bytes; longer names here are tsdbt's intermediates,
 * shortened deterministically with a hash of the full name, keeping their `__tsdbt_*` suffix.
 */
export function fitIdentifier(name: string): string {
  if (Buffer.byteLength(name) <= PG_MAX_IDENTIFIER_BYTES) return name;
  const suffix = /__tsdbt_[a-z]+$/.exec(name)?.[0] ?? '';
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  let base = name.slice(0, name.length - suffix.length);
  const budget = PG_MAX_IDENTIFIER_BYTES - Buffer.byteLength(suffix) - hash.length - 1;
  while (Buffer.byteLength(base) > budget) base = base.slice(0, -1);
  if (/[\uD800-\uDBFF]$/.test(base)) base = base.slice(0, -1);
  return `${base}_${hash}${suffix}`;
}
