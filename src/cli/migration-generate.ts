import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../infra/project-root';

/**
 * `npm run migration:generate -- <Name>`: diffs the entities against the migrated database and
 * writes migrations/<timestamp>-<Name>.ts with TypeORM's own generator. Add the new class to
 * migrations/index.ts and review the SQL before committing (a test checks both).
 */
function main(): void {
  const name = process.argv[2];
  if (!name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    console.error('usage: npm run migration:generate -- <PascalCaseName>');
    process.exit(2);
  }
  const root = projectRoot();
  const result = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/typeorm/cli.js'),
      'migration:generate',
      '--dataSource',
      join(root, 'dist/src/data-source.js'),
      '--pretty',
      join(root, 'migrations', name),
    ],
    { stdio: 'inherit', cwd: root },
  );
  process.exit(result.status ?? 1);
}

main();
