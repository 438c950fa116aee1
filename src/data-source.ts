import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadDotEnv } from './config/dotenv';
import { resolveAppConfig } from './config/load-config';
import { dataSourceOptions } from './database/data-source-options';

/**
 * The data source for the TypeORM CLI (`npm run migration:generate`): the same options as the
 * application, against DATABASE_URL or the local PostgreSQL when that is unset.
 */
async function createCliDataSource(): Promise<DataSource> {
  loadDotEnv();
  const { config } = await resolveAppConfig(process.env);
  return new DataSource(dataSourceOptions(config.databaseUrl, 2, 'scf-portal-cli'));
}

export default createCliDataSource();
