import { MigrationInterface, QueryRunner } from 'typeorm';

export class BankAccounts1796009144376 implements MigrationInterface {
  name = 'BankAccounts1796009144376';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "bank_accounts" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "organization_id" uuid NOT NULL,
                "currency" character(3) NOT NULL,
                "iban" character varying(34),
                "account_number" character varying(30),
                "bank_code" character varying(12),
                "bic" character varying(11),
                "holder_name" character varying(140) NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "bank_accounts_identifier_check" CHECK (
                    (
                        "iban" IS NOT NULL
                        AND "account_number" IS NULL
                        AND "bank_code" IS NULL
                    )
                    OR (
                        "iban" IS NULL
                        AND "account_number" IS NOT NULL
                        AND "bank_code" IS NOT NULL
                    )
                ),
                CONSTRAINT "PK_c872de764f2038224a013ff25ed" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "bank_accounts_account_number_key" ON "bank_accounts" (
                "organization_id",
                "currency",
                "bank_code",
                "account_number"
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "bank_accounts_iban_key" ON "bank_accounts" ("organization_id", "currency", "iban")
        `);
    await queryRunner.query(`
            ALTER TABLE "bank_accounts"
            ADD CONSTRAINT "FK_cc20105b139589c697648c925c3" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "bank_accounts" DROP CONSTRAINT "FK_cc20105b139589c697648c925c3"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."bank_accounts_iban_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."bank_accounts_account_number_key"
        `);
    await queryRunner.query(`
            DROP TABLE "bank_accounts"
        `);
  }
}
