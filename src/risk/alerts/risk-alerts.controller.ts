import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';
import { Allow, AnyMember } from '../../common/auth/access.decorator';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/current-actor.decorator';
import { Role } from '../../common/auth/roles';
import { ApiCredentials } from '../../common/http/api-docs.decorators';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import { PageQuery } from '../../common/pagination/page';
import { AlertState, AlertType } from './alert-kinds';
import { RiskAlertPage, RiskAlertView } from './risk-alert.view';
import { RiskAlertsRepository } from './risk-alerts.repository';
import { RiskAlertsService } from './risk-alerts.service';

export class ListAlertsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: AlertState, enumName: 'AlertState' })
  @IsOptional()
  @IsEnum(AlertState)
  state?: AlertState;

  @ApiPropertyOptional({ enum: AlertType, enumName: 'AlertType' })
  @IsOptional()
  @IsEnum(AlertType)
  type?: AlertType;
}

/** Early warnings (风险预警), to the parties they concern. */
@ApiTags('Risk')
@ApiCredentials()
@Controller('alerts')
export class RiskAlertsController {
  constructor(
    private readonly alerts: RiskAlertsRepository,
    private readonly service: RiskAlertsService,
  ) {}

  @Get()
  @AnyMember()
  @ApiOperation({ summary: 'Alerts that concern the caller, newest first' })
  @ApiOkResponse({ type: RiskAlertPage })
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: ListAlertsQuery,
  ): Promise<RiskAlertPage> {
    const page = await this.alerts.list(actor, { state: query.state, type: query.type }, query);
    return {
      items: page.items.map((alert) => RiskAlertView.of(alert)),
      nextCursor: page.nextCursor,
    };
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @Allow({ roles: [Role.ADMIN, Role.OPERATOR, Role.APPROVER] })
  @ApiOperation({
    summary: 'Say the alert was seen: OPEN → ACKNOWLEDGED (it is RESOLVED when its condition ends)',
  })
  @ApiOkResponse({ type: RiskAlertView })
  async acknowledge(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Alert')) id: string,
  ): Promise<RiskAlertView> {
    return RiskAlertView.of(await this.service.acknowledge(actor, id));
  }
}
