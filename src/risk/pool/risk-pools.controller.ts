import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, AnyMember } from '../../common/auth/access.decorator';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/current-actor.decorator';
import { OrganizationKind, Role } from '../../common/auth/roles';
import { ApiCredentials } from '../../common/http/api-docs.decorators';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import {
  ConfigureRiskPoolDto,
  PoolClaimDto,
  PoolContributionDto,
  RejectPoolClaimDto,
} from './risk-pool.dto';
import { PoolClaimView, RiskPoolView } from './risk-pool.view';
import { RiskPools } from './risk-pools.service';

/** Risk compensation pools (风险资金补偿池), one per program. */
@ApiTags('Risk')
@ApiCredentials()
@Controller()
export class RiskPoolsController {
  constructor(private readonly pools: RiskPools) {}

  @Get('programs/:id/pool')
  @AnyMember()
  @ApiOperation({
    summary: 'The pool statement: terms, contributions, claims (a financier sees its own), balance',
  })
  @ApiOkResponse({ type: RiskPoolView })
  statement(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Program')) id: string,
  ): Promise<RiskPoolView> {
    return this.pools.statement(actor, id);
  }

  @Put('programs/:id/pool')
  @Allow({ kinds: [OrganizationKind.PLATFORM], roles: [Role.ADMIN] })
  @ApiOperation({
    summary: 'Set up or change the pool’s coverage ratio, cap per loss and overdue days',
  })
  @ApiOkResponse({ type: RiskPoolView })
  configure(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Program')) id: string,
    @Body() dto: ConfigureRiskPoolDto,
  ): Promise<RiskPoolView> {
    return this.pools.configure(actor, id, dto);
  }

  @Post('programs/:id/pool/contributions')
  @Allow({ kinds: [OrganizationKind.PLATFORM], roles: [Role.ADMIN, Role.OPERATOR] })
  @ApiOperation({ summary: 'Record money paid into the pool (posted to the ledger)' })
  @ApiCreatedResponse({ type: RiskPoolView })
  contribute(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Program')) id: string,
    @Body() dto: PoolContributionDto,
  ): Promise<RiskPoolView> {
    return this.pools.contribute(actor, id, dto);
  }

  @Post('programs/:id/pool/claims')
  @Allow({ kinds: [OrganizationKind.FINANCIER], roles: [Role.ADMIN, Role.OPERATOR] })
  @ApiOperation({
    summary: 'Claim a loss on a written-off (or long overdue) financing of the program',
  })
  @ApiCreatedResponse({ type: PoolClaimView })
  async claim(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Program')) id: string,
    @Body() dto: PoolClaimDto,
  ): Promise<PoolClaimView> {
    const claim = await this.pools.claim(actor, id, dto);
    return (await this.pools.statement(actor, id)).claims.find((c) => c.id === claim.id)!;
  }

  @Post('pool-claims/:id/approve')
  @HttpCode(200)
  @Allow({ kinds: [OrganizationKind.PLATFORM], roles: [Role.APPROVER] })
  @ApiOperation({ summary: 'Approve a claim: the pool pays min(loss × ratio, cap, balance)' })
  @ApiOkResponse({ type: PoolClaimView })
  async approve(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Pool claim')) id: string,
  ): Promise<PoolClaimView> {
    const claim = await this.pools.approve(actor, id);
    return (await this.pools.statement(actor, claim.programId)).claims.find((c) => c.id === id)!;
  }

  @Post('pool-claims/:id/reject')
  @HttpCode(200)
  @Allow({ kinds: [OrganizationKind.PLATFORM], roles: [Role.APPROVER] })
  @ApiOperation({ summary: 'Reject a claim: nothing is paid; the financier may claim again' })
  @ApiOkResponse({ type: PoolClaimView })
  async reject(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Pool claim')) id: string,
    @Body() dto: RejectPoolClaimDto,
  ): Promise<PoolClaimView> {
    const claim = await this.pools.reject(actor, id, dto.reason);
    return (await this.pools.statement(actor, claim.programId)).claims.find((c) => c.id === id)!;
  }
}
