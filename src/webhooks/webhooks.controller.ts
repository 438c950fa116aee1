import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../common/auth/access.decorator';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/current-actor.decorator';
import { Role } from '../common/auth/roles';
import { ApiCredentials } from '../common/http/api-docs.decorators';
import { UuidParam } from '../common/http/uuid-param.pipe';
import { ResponseHoldsSecret } from '../common/idempotency/response-holds-secret.decorator';
import { PageQuery } from '../common/pagination/page';
import {
  ListDeliveriesQuery,
  WebhookDeliveryPage,
  WebhookDeliveryView,
} from './dto/webhook-delivery.dto';
import { CreatedWebhookView, CreateWebhookDto, WebhookPage, WebhookView } from './dto/webhook.dto';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhooksService } from './webhooks.service';

/** An organisation's webhooks: its ADMIN's business, like its API keys. */
@ApiTags('Webhooks')
@ApiCredentials()
@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly deliveryLog: WebhookDeliveriesService,
  ) {}

  @Post()
  @Allow({ roles: [Role.ADMIN] })
  @ResponseHoldsSecret()
  @ApiOperation({
    summary:
      'Register a webhook for some events (the signing secret is shown once). 422 when the URL leads to a loopback, private, link-local or unique-local address.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookView })
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateWebhookDto,
  ): Promise<CreatedWebhookView> {
    const { webhook, secret } = await this.webhooks.create(actor, dto);
    return { ...WebhookView.of(webhook), secret };
  }

  @Get()
  @Allow({ roles: [Role.ADMIN] })
  @ApiOperation({ summary: "The organisation's webhooks, newest first (never their secrets)" })
  @ApiOkResponse({ type: WebhookPage })
  async list(@CurrentActor() actor: Actor, @Query() query: PageQuery): Promise<WebhookPage> {
    const page = await this.webhooks.list(actor, query);
    return {
      items: page.items.map((webhook) => WebhookView.of(webhook)),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  @Allow({ roles: [Role.ADMIN] })
  @ApiOperation({ summary: 'One webhook of the organisation' })
  @ApiOkResponse({ type: WebhookView })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Webhook')) id: string,
  ): Promise<WebhookView> {
    return WebhookView.of(await this.webhooks.get(actor, id));
  }

  @Get(':id/deliveries')
  @Allow({ roles: [Role.ADMIN] })
  @ApiOperation({
    summary:
      "A webhook's delivery log, newest first: event id, event, status, attempts, the last response status and error, timestamps",
  })
  @ApiOkResponse({ type: WebhookDeliveryPage })
  async listDeliveries(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Webhook')) id: string,
    @Query() query: ListDeliveriesQuery,
  ): Promise<WebhookDeliveryPage> {
    const page = await this.deliveryLog.list(actor, id, { status: query.status }, query);
    return {
      items: page.items.map((delivery) => WebhookDeliveryView.of(delivery)),
      nextCursor: page.nextCursor,
    };
  }

  @Delete(':id')
  @Allow({ roles: [Role.ADMIN] })
  @ApiOperation({
    summary:
      'Deactivate a webhook: nothing more is delivered and its pending deliveries are cancelled; its log stays readable',
  })
  @ApiOkResponse({ type: WebhookView })
  async deactivate(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Webhook')) id: string,
  ): Promise<WebhookView> {
    return WebhookView.of(await this.webhooks.deactivate(actor, id));
  }
}
