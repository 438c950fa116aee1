import { Body, Controller, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../common/auth/access.decorator';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/current-actor.decorator';
import { OrganizationKind, Role } from '../common/auth/roles';
import { ApiCredentials } from '../common/http/api-docs.decorators';
import { UuidParam } from '../common/http/uuid-param.pipe';
import { FinancierTermsDto } from './dto/financier-terms.dto';
import { InviteFinancierDto, InviteSupplierDto } from './dto/invite-member.dto';
import {
  FinancierInvitationView,
  FinancierTermsView,
  SupplierAcceptanceView,
  SupplierInvitationView,
} from './dto/membership.view';
import { ProgramMembersService } from './program-members.service';

@ApiTags('Programs')
@ApiCredentials()
@Controller('programs/:id')
export class ProgramMembersController {
  constructor(private readonly members: ProgramMembersService) {}

  @Post('suppliers')
  @Allow({ kinds: [OrganizationKind.ANCHOR], roles: [Role.ADMIN] })
  @ApiOperation({ summary: 'Invite a supplier into the program (its anchor’s ADMIN)' })
  @ApiCreatedResponse({ type: SupplierInvitationView })
  inviteSupplier(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Program')) programId: string,
    @Body() dto: InviteSupplierDto,
  ): Promise<SupplierInvitationView> {
    return this.members.inviteSupplier(actor, programId, dto.supplierId.toLowerCase());
  }

  @Post('suppliers/:supplierId/accept')
  @Allow({ kinds: [OrganizationKind.SUPPLIER], roles: [Role.ADMIN] })
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept the program’s invitation (the invited supplier’s ADMIN)' })
  @ApiOkResponse({ type: SupplierAcceptanceView })
  acceptSupplier(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Program')) programId: string,
    @Param('supplierId', new UuidParam('Program supplier')) supplierId: string,
  ): Promise<SupplierAcceptanceView> {
    return this.members.acceptSupplier(actor, programId, supplierId);
  }

  @Post('financiers')
  @Allow({ kinds: [OrganizationKind.ANCHOR], roles: [Role.ADMIN] })
  @ApiOperation({ summary: 'Invite a financier into the program (its anchor’s ADMIN)' })
  @ApiCreatedResponse({ type: FinancierInvitationView })
  inviteFinancier(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Program')) programId: string,
    @Body() dto: InviteFinancierDto,
  ): Promise<FinancierInvitationView> {
    return this.members.inviteFinancier(actor, programId, dto.financierId.toLowerCase());
  }

  @Put('financiers/:financierId/terms')
  @Allow({ kinds: [OrganizationKind.FINANCIER], roles: [Role.ADMIN] })
  @ApiOperation({
    summary: 'Set the financier’s own terms in the program (that financier’s ADMIN); joins it',
  })
  @ApiOkResponse({ type: FinancierTermsView })
  setFinancierTerms(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Program')) programId: string,
    @Param('financierId', new UuidParam('Program financier')) financierId: string,
    @Body() dto: FinancierTermsDto,
  ): Promise<FinancierTermsView> {
    return this.members.setFinancierTerms(actor, programId, financierId, dto);
  }
}
