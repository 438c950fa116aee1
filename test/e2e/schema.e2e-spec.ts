import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { hasVisibilityRule, type EntityClass } from '../../src/common/tenancy/visibility';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { ENTITIES, INTERNAL_ENTITIES } from '../../src/database/entities';
import { projectRoot } from '../../src/infra/project-root';
import { cloneTestDatabase, type TestDatabase } from '../support/test-app';

describe('schema by migrations only', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await cloneTestDatabase();
    dataSource = new DataSource({
      ...dataSourceOptions(database.url, 2, 'scf-schema-test'),
      logging: false,
    });
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('entities and migrations agree: generating a migration on the migrated database finds no change', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('every migration has run and none is pending', async () => {
    expect(await dataSource.showMigrations()).toBe(false);
    const ran = (await dataSource.query(
      'SELECT name FROM schema_migrations ORDER BY id',
    )) as Array<{ name: string }>;
    expect(ran.map((row) => row.name)).toEqual(
      MIGRATIONS.map((migration) => new migration().name ?? migration.name),
    );
  });

  it('every file in migrations/ is listed in migrations/index.ts, in timestamp order', () => {
    const files = readdirSync(join(projectRoot(), 'migrations'))
      .filter((file) => /^\d{13}-[A-Za-z0-9]+\.ts$/.test(file))
      .sort();
    const classes = files.map((file) => {
      const [timestamp, name] = file.replace(/\.ts$/, '').split('-');
      return `${name}${timestamp}`;
    });
    expect(MIGRATIONS.map((migration) => migration.name)).toEqual(classes);
  });

  it('synchronize is off', () => {
    expect(dataSource.options.synchronize).toBe(false);
    expect(dataSource.options.migrationsRun).toBe(false);
  });

  it('every entity a tenant can read declares who sees it (tenancy is never implicit)', () => {
    const undeclared = ENTITIES.filter(
      (entity) =>
        !INTERNAL_ENTITIES.includes(entity as EntityClass) &&
        !hasVisibilityRule(entity as EntityClass),
    ).map((entity) => entity.name);
    expect(undeclared).toEqual([]);
  });
});
