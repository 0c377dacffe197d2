// A small fixed-size connection pool: at most `size` connections, created on first need, lent one per node.
import type { Connection, ConnectionPool } from './types.js';

export class SimplePool implements ConnectionPool {
  private readonly idle: Connection[] = [];
  private readonly waiters: ((c: Connection) => void)[] = [];
  private created = 0;
  private closed = false;

  constructor(private readonly size: number, private readonly create: () => Promise<Connection>) {}

  async withConnection<T>(fn: (conn: Connection) => Promise<T>): Promise<T> {
    const conn = await this.acquire();
    try {
      return await fn(conn);
    } finally {
      this.release(conn);
    }
  }

  private async acquire(): Promise<Connection> {
    if (this.closed) throw new Error('connection pool is closed');
    const conn = this.idle.pop();
    if (conn) return conn;
    if (this.created < this.size) {
      this.created++;
      try {
        return await this.create();
      } catch (err) {
        this.created--;
        throw err;
      }
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(conn: Connection): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(conn);
    else this.idle.push(conn);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.idle.splice(0).map((c) => c.close()));
  }
}
