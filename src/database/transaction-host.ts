import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * The ambient unit of work. A service runs its change in `run()`: it joins the transaction
 * already open for this request (the idempotency interceptor opens one so the stored response
 * commits with the change) or opens its own. Repositories take `manager` from here, so every
 * statement of a request lands in the same transaction without passing it by hand.
 *
 * Written here rather than taken from nestjs-cls/transactional: it is forty lines, and the
 * idempotency store needs to bind a transaction it opened itself on a dedicated connection.
 */
@Injectable()
export class TransactionHost {
  private readonly storage = new AsyncLocalStorage<EntityManager>();

  constructor(private readonly dataSource: DataSource) {}

  /** The manager of the ambient transaction, or the pool's manager outside one. */
  get manager(): EntityManager {
    return this.storage.getStore() ?? this.dataSource.manager;
  }

  get inTransaction(): boolean {
    return this.storage.getStore() !== undefined;
  }

  /** Runs `work` in the ambient transaction, or in a new one that commits when `work` resolves. */
  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const ambient = this.storage.getStore();
    if (ambient) return work(ambient);
    return this.dataSource.transaction((manager) => this.storage.run(manager, () => work(manager)));
  }

  /** Makes `manager` (a transaction its caller controls) ambient while `work` runs. */
  bind<T>(manager: EntityManager, work: () => Promise<T>): Promise<T> {
    return this.storage.run(manager, work);
  }
}
