import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../common/auth/access.decorator';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/current-actor.decorator';
import { Role } from '../common/auth/roles';
import { ApiCredentials } from '../common/http/api-docs.decorators';
import { ResponseHoldsSecret } from '../common/idempotency/response-holds-secret.decorator';
import { UuidParam } from '../common/http/uuid-param.pipe';
import { PageQuery } from '../common/pagination/page';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyPage, ApiKeyView, CreateApiKeyDto, CreatedApiKeyView } from './dto/api-key.dto';

@ApiTags('Access')
@ApiCredentials()
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @Allow({ roles: [Role.ADMIN] })
  @ResponseHoldsSecret()
  @ApiOperation({ summary: 'Create an API key for an ERP system (the key is shown once)' })
  @ApiCreatedResponse({ type: CreatedApiKeyView })
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateApiKeyDto,
  ): Promise<CreatedApiKeyView> {
    const { apiKey, key } = await this.apiKeys.create(actor, dto);
    return { ...ApiKeyView.of(apiKey), key };
  }

  @Get()
  @Allow({ roles: [Role.ADMIN] })
  @ApiOperation({ summary: "The organisation's API keys (never the secrets)" })
  @ApiOkResponse({ type: ApiKeyPage })
  async list(@CurrentActor() actor: Actor, @Query() query: PageQuery): Promise<ApiKeyPage> {
    const page = await this.apiKeys.list(actor, query);
    return { items: page.items.map((key) => ApiKeyView.of(key)), nextCursor: page.nextCursor };
  }

  @Delete(':id')
  @Allow({ roles: [Role.ADMIN] })
  @ApiOperation({ summary: 'Revoke an API key; it stops working at once' })
  @ApiOkResponse({ type: ApiKeyView })
  async revoke(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('API key')) id: string,
  ): Promise<ApiKeyView> {
    return ApiKeyView.of(await this.apiKeys.revoke(actor, id));
  }
}
