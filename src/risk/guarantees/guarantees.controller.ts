import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, AnyMember } from '../../common/auth/access.decorator';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/current-actor.decorator';
import { OrganizationKind, Role } from '../../common/auth/roles';
import { ApiCredentials } from '../../common/http/api-docs.decorators';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import {
  ListGuaranteesQuery,
  ProposeGuaranteeDto,
  SettleGuaranteeClaimDto,
  WithdrawGuaranteeDto,
} from './guarantee.dto';
import { GuaranteeClaimView, GuaranteePage, GuaranteeView } from './guarantee.view';
import { Guarantees } from './guarantees.service';

/** Guarantees (担保) on a program's financings, and the claims made under them. */
@ApiTags('Risk')
@ApiCredentials()
@Controller()
export class GuaranteesController {
  constructor(private readonly guarantees: Guarantees) {}

  @Post('programs/:id/guarantees')
  @Allow({ kinds: [OrganizationKind.PLATFORM], roles: [Role.ADMIN] })
  @ApiOperation({
    summary:
      'Register a guarantor’s guarantee on the program (PROPOSED until the guarantor accepts)',
  })
  @ApiCreatedResponse({ type: GuaranteeView })
  propose(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Program')) id: string,
    @Body() dto: ProposeGuaranteeDto,
  ): Promise<GuaranteeView> {
    return this.guarantees.propose(actor, id, dto);
  }

  @Get('guarantees')
  @AnyMember()
  @ApiOperation({
    summary: 'Guarantees the caller gives, benefits from, or runs the program of; newest first',
  })
  @ApiOkResponse({ type: GuaranteePage })
  list(@CurrentActor() actor: Actor, @Query() query: ListGuaranteesQuery): Promise<GuaranteePage> {
    return this.guarantees.list(actor, { programId: query.programId, status: query.status }, query);
  }

  @Get('guarantees/:id')
  @AnyMember()
  @ApiOperation({ summary: 'A guarantee with its use of the cap and its claims' })
  @ApiOkResponse({ type: GuaranteeView })
  get(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Guarantee')) id: string,
  ): Promise<GuaranteeView> {
    return this.guarantees.view(actor, id);
  }

  @Post('guarantees/:id/accept')
  @HttpCode(200)
  @Allow({ kinds: [OrganizationKind.GUARANTOR], roles: [Role.ADMIN, Role.APPROVER] })
  @ApiOperation({ summary: 'The guarantor accepts: PROPOSED → ACTIVE' })
  @ApiOkResponse({ type: GuaranteeView })
  accept(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Guarantee')) id: string,
  ): Promise<GuaranteeView> {
    return this.guarantees.accept(actor, id);
  }

  @Post('guarantees/:id/withdraw')
  @HttpCode(200)
  @Allow({ kinds: [OrganizationKind.GUARANTOR, OrganizationKind.PLATFORM], roles: [Role.ADMIN] })
  @ApiOperation({
    summary: 'No new financings are covered; those it covers already stay covered',
  })
  @ApiOkResponse({ type: GuaranteeView })
  withdraw(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Guarantee')) id: string,
    @Body() dto: WithdrawGuaranteeDto,
  ): Promise<GuaranteeView> {
    return this.guarantees.withdraw(actor, id, dto);
  }

  @Post('guarantee-claims/:id/settle')
  @HttpCode(200)
  @Allow({ kinds: [OrganizationKind.FINANCIER], roles: [Role.ADMIN, Role.OPERATOR] })
  @ApiOperation({
    summary: 'The financier records the guarantor’s payment of a claim (posted to the ledger)',
  })
  @ApiOkResponse({ type: GuaranteeClaimView })
  settle(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Guarantee claim')) id: string,
    @Body() dto: SettleGuaranteeClaimDto,
  ): Promise<GuaranteeClaimView> {
    return this.guarantees.settleClaim(actor, id, dto);
  }
}
