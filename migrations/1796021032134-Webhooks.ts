import { MigrationInterface, QueryRunner } from 'typeorm';

export class Webhooks1796021032134 implements MigrationInterface {
  name = 'Webhooks1796021032134';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // webhooks_events_check lists WEBHOOK_EVENTS: TypeORM does not see a CHECK whose name
    // stays, so a migration that adds an event must drop and re-create it by hand.
    await queryRunner.query(`
            CREATE TABLE "webhooks" (
                "id" uuid NOT NULL,
                "organization_id" uuid NOT NULL,
                "url" character varying(2048) NOT NULL,
                "events" character varying(40) array NOT NULL,
                "secret_sealed" text NOT NULL,
                "created_by" uuid,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "deactivated_at" TIMESTAMP(3) WITH TIME ZONE,
                "deactivated_by" uuid,
                CONSTRAINT "webhooks_events_check" CHECK (
                    cardinality("events") > 0
                    AND "events" <@ ARRAY ['invoice.verified','invoice.exception','invoice.confirmed','invoice.rejected','financing_request.offered','financing.accepted','financing.approved','financing.disbursed','financing.settled','financing.overdue','pledge.active','pledge.margin_call','pledge.released','document.ready','alert.raised']::varchar []
                ),
                CONSTRAINT "PK_9e8795cfc899ab7bdaa831e8527" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "webhooks_organization_active_idx" ON "webhooks" ("organization_id")
            WHERE "deactivated_at" IS NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "webhook_deliveries" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "webhook_id" uuid NOT NULL,
                "organization_id" uuid NOT NULL,
                "event_id" uuid NOT NULL,
                "event" character varying(40) NOT NULL,
                "occurred_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "data" jsonb NOT NULL,
                "status" character varying(16) NOT NULL DEFAULT 'PENDING',
                "attempts" integer NOT NULL DEFAULT '0',
                "generation" integer NOT NULL DEFAULT '1',
                "response_status" smallint,
                "last_error" character varying(500),
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "last_attempt_at" TIMESTAMP(3) WITH TIME ZONE,
                "delivered_at" TIMESTAMP(3) WITH TIME ZONE,
                CONSTRAINT "webhook_deliveries_attempts_check" CHECK (
                    "attempts" >= 0
                    AND "generation" >= 1
                ),
                CONSTRAINT "webhook_deliveries_status_check" CHECK (
                    "status" IN ('PENDING', 'DELIVERED', 'FAILED', 'CANCELLED')
                ),
                CONSTRAINT "PK_535dd409947fb6d8fc6dfc0112a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "webhook_deliveries_webhook_created_idx" ON "webhook_deliveries" ("webhook_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "webhook_deliveries_event_key" ON "webhook_deliveries" ("webhook_id", "event_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "webhooks"
            ADD CONSTRAINT "FK_1263da9f2a66fe09006bd86130e" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_deliveries"
            ADD CONSTRAINT "FK_a0286aeb96db651efd1ae2966f2" FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "FK_a0286aeb96db651efd1ae2966f2"
        `);
    await queryRunner.query(`
            ALTER TABLE "webhooks" DROP CONSTRAINT "FK_1263da9f2a66fe09006bd86130e"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."webhook_deliveries_event_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."webhook_deliveries_webhook_created_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "webhook_deliveries"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."webhooks_organization_active_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "webhooks"
        `);
  }
}
