import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyMember } from '../../common/auth/access.decorator';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/current-actor.decorator';
import { ApiCredentials } from '../../common/http/api-docs.decorators';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import { ScoreView } from './score.view';
import { ScoresService } from './scores.service';

@ApiTags('Risk')
@ApiCredentials()
@Controller('organizations/:id/score')
export class ScoresController {
  constructor(private readonly scores: ScoresService) {}

  @Get()
  @AnyMember()
  @ApiOperation({
    summary:
      "A supplier's credit score (0–1000), grade A–E and the reasons, from its last profile refresh; with suggested per-supplier sub-limits for the calling financier. Same readers as the profile",
  })
  @ApiOkResponse({ type: ScoreView })
  get(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Supplier profile')) id: string,
  ): Promise<ScoreView> {
    return this.scores.get(actor, id);
  }
}
