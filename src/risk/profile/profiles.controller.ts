import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, AnyMember } from '../../common/auth/access.decorator';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/current-actor.decorator';
import { Role } from '../../common/auth/roles';
import { ApiCredentials } from '../../common/http/api-docs.decorators';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import { ProfileView } from './profile.view';
import { ProfilesService } from './profiles.service';

@ApiTags('Risk')
@ApiCredentials()
@Controller('organizations/:id/profile')
export class ProfilesController {
  constructor(private readonly profiles: ProfilesService) {}

  @Get()
  @AnyMember()
  @ApiOperation({
    summary:
      "A supplier's enterprise profile (企业画像) per anchor relationship, as last computed (hourly, or by …/profile/refresh): " +
      'the supplier itself, the anchors and financiers of its programs (each sees its part, docs/risk.md) and the platform; 404 for anyone else and for organisations that are not suppliers',
  })
  @ApiOkResponse({ type: ProfileView })
  get(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Supplier profile')) id: string,
  ): Promise<ProfileView> {
    return this.profiles.get(actor, id);
  }

  @Post('refresh')
  @HttpCode(200)
  @Allow({ roles: [Role.ADMIN, Role.OPERATOR] })
  @ApiOperation({
    summary:
      'Recompute the supplier’s profile and score now (ADMIN or OPERATOR of anyone who may read it); answers the fresh profile',
  })
  @ApiOkResponse({ type: ProfileView })
  refresh(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Supplier profile')) id: string,
  ): Promise<ProfileView> {
    return this.profiles.refresh(actor, id);
  }
}
