import { types } from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from './entities';
import { TypeOrmLogger } from './typeorm-logger';

/**
 * Business dates stay 'YYYY-MM-DD' strings from the driver on: pg would make them JS Dates at the
 * local midnight, which shifts them a day in any zone west of UTC and arrays are not converted back.
 */
types.setTypeParser(types.builtins.DATE, (value: string) => value);
const DATE_ARRAY = 1182 as Parameters<typeof types.setTypeParser>[0];
const TEXT_ARRAY = 1009 as Parameters<typeof types.getTypeParser>[0];
types.setTypeParser(DATE_ARRAY, types.getTypeParser(TEXT_ARRAY));

/**
 * One definition of how the portal talks to PostgreSQL, for the app, the worker, the CLI and tests.
 * The schema comes from migrations only: `synchronize` stays off and `migrationsRun` is left to
 * `npm run migration:run` (the worker never migrates).
 */
export function dataSourceOptions(
  databaseUrl: string,
  poolSize = 10,
  applicationName = 'scf-portal',
): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    applicationName,
    extra: { max: poolSize, idleTimeoutMillis: 30_000 },
    logging: ['error', 'warn', 'migration'],
    logger: new TypeOrmLogger(),
    maxQueryExecutionTime: 1_000,
  };
}
