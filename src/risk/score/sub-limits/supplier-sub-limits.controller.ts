import { Body, Controller, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../../../common/auth/access.decorator';
import type { Actor } from '../../../common/auth/actor';
import { CurrentActor } from '../../../common/auth/current-actor.decorator';
import { OrganizationKind, Role } from '../../../common/auth/roles';
import { ApiCredentials } from '../../../common/http/api-docs.decorators';
import { UuidParam } from '../../../common/http/uuid-param.pipe';
import { SupplierSubLimitDto, SupplierSubLimitView } from './supplier-sub-limit.dto';
import { SupplierSubLimits } from './supplier-sub-limits.service';

@ApiTags('Programs')
@ApiCredentials()
@Controller('programs/:id/financiers/:financierId/suppliers/:supplierId/sub-limit')
export class SupplierSubLimitsController {
  constructor(private readonly subLimits: SupplierSubLimits) {}

  @Put()
  @Allow({ kinds: [OrganizationKind.FINANCIER], roles: [Role.ADMIN] })
  @ApiOperation({
    summary:
      "Set the financier's own sub-limit for one supplier of the program (that financier's ADMIN), e.g. the suggestedSubLimit of GET /organizations/:id/score; null removes it",
  })
  @ApiOkResponse({ type: SupplierSubLimitView })
  set(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Program')) programId: string,
    @Param('financierId', new UuidParam('Program financier')) financierId: string,
    @Param('supplierId', new UuidParam('Program supplier')) supplierId: string,
    @Body() dto: SupplierSubLimitDto,
  ): Promise<SupplierSubLimitView> {
    return this.subLimits.set(actor, { programId, financierId, supplierId }, dto);
  }
}
