import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import type { PreparedStatement } from './prepared-statement';

/** One open transaction: its manager and the writes that wait for the end of its work. */
interface UnitOfWork {
  manager: EntityManager;
  beforeCommit: Array<() => Promise<void>>;
}

/**
 * The ambient unit of work. A service runs its change in `run()`: it joins the transaction
 * already open for this request (the idempotency interceptor opens one so the stored response
 * commits with the change) or opens its own. Repositories take `manager` from here, so every
 * statement of a request lands in the same transaction without passing it by hand.
 *
 * Written here rather than taken from nestjs-cls/transactional: it is short, the idempotency
 * store needs to bind a transaction it opened itself on a dedicated connection, and the audit
 * trail needs `beforeCommit`.
 */
@Injectable()
export class TransactionHost {
  private readonly storage = new AsyncLocalStorage<UnitOfWork>();

  constructor(private readonly dataSource: DataSource) {}

  /** The manager of the ambient transaction, or the pool's manager outside one. */
  get manager(): EntityManager {
    return this.storage.getStore()?.manager ?? this.dataSource.manager;
  }

  get inTransaction(): boolean {
    return this.storage.getStore() !== undefined;
  }

  /** Runs `work` in the ambient transaction, or in a new one that commits when `work` resolves. */
  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const ambient = this.storage.getStore();
    if (ambient) return work(ambient.manager);
    return this.dataSource.transaction((manager) => this.within(manager, () => work(manager)));
  }

  /**
   * Makes `manager` (a transaction its caller controls) ambient while `work` runs, and runs the
   * transaction's `beforeCommit` writes when it ends; the caller commits after.
   */
  bind<T>(manager: EntityManager, work: () => Promise<T>): Promise<T> {
    return this.within(manager, work);
  }

  /**
   * Runs a prepared statement in the ambient transaction, or on the pool outside one. TypeORM
   * cannot name a statement, so this talks to the transaction's pg connection directly; errors
   * are wrapped as TypeORM's would be, for the one error mapping.
   */
  async query<T>(statement: PreparedStatement, values: unknown[]): Promise<T[]> {
    const unit = this.storage.getStore();
    const client = unit?.manager.queryRunner
      ? ((await unit.manager.queryRunner.connect()) as PoolClient)
      : (this.dataSource.driver as unknown as { master: Pool }).master;
    try {
      const result = await client.query({ name: statement.name, text: statement.text, values });
      return result.rows as T[];
    } catch (error) {
      throw new QueryFailedError(statement.text, values, error as Error);
    }
  }

  /**
   * Defers a write to the end of the transaction's work, just before it commits, in the order
   * asked. For writes that lock a row every request of a tenant shares (its audit chain head):
   * taken last, the lock is held for one statement and the commit, not for the whole request.
   */
  beforeCommit(write: () => Promise<void>): void {
    const unit = this.storage.getStore();
    if (!unit) throw new Error('beforeCommit outside a transaction');
    unit.beforeCommit.push(write);
  }

  private async within<T>(manager: EntityManager, work: () => Promise<T>): Promise<T> {
    const unit: UnitOfWork = { manager, beforeCommit: [] };
    return this.storage.run(unit, async () => {
      const result = await work();
      for (let i = 0; i < unit.beforeCommit.length; i++) await unit.beforeCommit[i]();
      return result;
    });
  }
}
