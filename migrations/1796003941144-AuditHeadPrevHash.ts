import { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditHeadPrevHash1796003941144 implements MigrationInterface {
  name = 'AuditHeadPrevHash1796003941144';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "audit_chain_heads"
            ADD "prev_hash" character(64) NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000'
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "audit_chain_heads" DROP COLUMN "prev_hash"
        `);
  }
}
