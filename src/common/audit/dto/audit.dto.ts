import { PageOf } from '../../../common/pagination/page';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQuery } from '../../pagination/page';
import type { AuditEvent } from '../audit-event.entity';

export class ListAuditEventsQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'organization' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  entityType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  entityId?: string;
}

export class VerifyAuditQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "Verify one organisation's chain only" })
  @IsOptional()
  @IsUUID()
  organizationId?: string;
}

export class AuditEventView {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  organizationId: string;
  @ApiProperty({ example: '42', description: "Position in the organisation's chain" })
  seq: string;
  @ApiProperty()
  prevHash: string;
  @ApiProperty()
  hash: string;
  @ApiProperty({ enum: ['USER', 'API_KEY', 'SYSTEM'] })
  actorType: string;
  @ApiProperty({ type: String, nullable: true })
  actorId: string | null;
  @ApiProperty({ example: 'organization.created' })
  action: string;
  @ApiProperty()
  entityType: string;
  @ApiProperty()
  entityId: string;
  @ApiProperty({ type: 'object', additionalProperties: true })
  data: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' })
  occurredAt: string;

  static of(event: AuditEvent): AuditEventView {
    return {
      id: event.id,
      organizationId: event.organizationId,
      seq: event.seq,
      prevHash: event.prevHash,
      hash: event.hash,
      actorType: event.actorType,
      actorId: event.actorId,
      action: event.action,
      entityType: event.entityType,
      entityId: event.entityId,
      data: event.data,
      occurredAt: event.occurredAt.toISOString(),
    };
  }
}

export class AuditEventPage extends PageOf(AuditEventView) {}

export class ChainBreakView {
  @ApiProperty({ type: String, nullable: true })
  eventId: string | null;
  @ApiProperty({ format: 'uuid' })
  organizationId: string;
  @ApiProperty()
  seq: string;
  @ApiProperty()
  reason: string;
}

export class AuditVerificationView {
  @ApiProperty()
  valid: boolean;
  @ApiProperty({ description: 'Events recomputed' })
  checked: number;
  @ApiProperty({ description: 'Organisation chains walked' })
  chains: number;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The first event whose link does not hold',
  })
  firstBrokenId: string | null;
  @ApiProperty({ type: ChainBreakView, nullable: true })
  broken: ChainBreakView | null;
}
