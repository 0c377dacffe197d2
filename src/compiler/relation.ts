// The relation object templates see from ref(), source() and {{ this }}: prints as the quoted, qualified name and
// exposes database/schema/identifier as dbt's Relation does.
import type { Dialect, RelationRef } from '../adapters/types.js';

export class Relation implements RelationRef {
  constructor(
    readonly database: string,
    readonly schema: string,
    readonly identifier: string,
    private readonly dialect: Pick<Dialect, 'relation' | 'quoteIdentifier'>,
    /** For an ephemeral model: the CTE name that stands in for the relation. */
    readonly cteName?: string,
  ) {}

  get name(): string {
    return this.identifier;
  }

  get table(): string {
    return this.identifier;
  }

  render(): string {
    return this.cteName ?? this.dialect.relation(this);
  }

  toString(): string {
    return this.render();
  }

  /** dbt's relation.include(database=False, ...): a copy printed without some parts. */
  include(opts: { database?: boolean; schema?: boolean; identifier?: boolean } = {}): { toString(): string; render(): string } {
    const parts = [
      opts.database === false ? undefined : this.database,
      opts.schema === false ? undefined : this.schema,
      opts.identifier === false ? undefined : this.identifier,
    ].filter((p): p is string => !!p);
    const text = parts.map((p) => this.dialect.quoteIdentifier(p)).join('.');
    return { toString: () => text, render: () => text };
  }
}
