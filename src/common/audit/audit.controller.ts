import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, AnyMember } from '../auth/access.decorator';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/current-actor.decorator';
import { OrganizationKind, Role } from '../auth/roles';
import { ApiCredentials } from '../http/api-docs.decorators';
import { AuditEventsRepository } from './audit-events.repository';
import { AuditVerification } from './audit-verification';
import {
  AuditEventPage,
  AuditEventView,
  AuditVerificationView,
  ListAuditEventsQuery,
  VerifyAuditQuery,
} from './dto/audit.dto';

@ApiTags('Audit')
@ApiCredentials()
@Controller('audit')
export class AuditController {
  constructor(
    private readonly events: AuditEventsRepository,
    private readonly verification: AuditVerification,
  ) {}

  @Get('events')
  @AnyMember()
  @ApiOperation({ summary: "The caller's organisation's audit events, newest first" })
  @ApiOkResponse({ type: AuditEventPage })
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: ListAuditEventsQuery,
  ): Promise<AuditEventPage> {
    const page = await this.events.list(
      actor,
      { entityType: query.entityType, entityId: query.entityId },
      query,
    );
    return {
      items: page.items.map((event) => AuditEventView.of(event)),
      nextCursor: page.nextCursor,
    };
  }

  @Get('verify')
  @Allow({ kinds: [OrganizationKind.PLATFORM], roles: [Role.ADMIN] })
  @ApiOperation({
    summary: 'Recompute the hash chains and name the first broken link (platform ADMIN)',
  })
  @ApiOkResponse({ type: AuditVerificationView })
  verify(@Query() query: VerifyAuditQuery): Promise<AuditVerificationView> {
    return this.verification.verify(query.organizationId);
  }
}
