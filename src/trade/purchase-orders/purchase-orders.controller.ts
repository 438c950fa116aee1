import { Body, Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Allow } from '../../common/auth/access.decorator';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/current-actor.decorator';
import { OrganizationKind, Role } from '../../common/auth/roles';
import { ApiCredentials } from '../../common/http/api-docs.decorators';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import { PageQuery } from '../../common/pagination/page';
import { ApiBulkUpload } from '../bulk/bulk-body.decorators';
import { BulkModeQuery } from '../bulk/bulk-mode';
import type { BulkResult } from '../bulk/bulk-result';
import { BulkSource } from '../bulk/bulk-source';
import { CreatePurchaseOrderDto } from './dto/create-purchase-order.dto';
import { PurchaseOrderPage, PurchaseOrderView } from './purchase-order.view';
import { PurchaseOrdersService } from './purchase-orders.service';

export class ListPurchaseOrdersQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  supplierId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  number?: string;
}

const ANCHOR_WRITERS = { kinds: [OrganizationKind.ANCHOR], roles: [Role.ADMIN, Role.OPERATOR] };
const ANCHOR_READERS = { kinds: [OrganizationKind.ANCHOR, OrganizationKind.PLATFORM] };

@ApiTags('Trade records')
@ApiCredentials()
@Controller('purchase-orders')
export class PurchaseOrdersController {
  constructor(private readonly orders: PurchaseOrdersService) {}

  @Post()
  @Allow(ANCHOR_WRITERS)
  @ApiOperation({
    summary: "Record one of the anchor's purchase orders (ERP systems use an API key)",
  })
  @ApiCreatedResponse({ type: PurchaseOrderView })
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreatePurchaseOrderDto,
  ): Promise<PurchaseOrderView> {
    return PurchaseOrderView.of(await this.orders.create(actor, dto));
  }

  @Post('bulk')
  @Allow(ANCHOR_WRITERS)
  @ApiOperation({
    summary: 'Record many purchase orders: JSON array, or CSV with one line per order line',
  })
  @ApiBulkUpload(
    CreatePurchaseOrderDto,
    'number,supplierId (or supplierRegistrationId),currency,issueDate,sku,description,quantity,unit,unitPrice',
  )
  bulk(
    @CurrentActor() actor: Actor,
    @Req() request: Request,
    @Query() query: BulkModeQuery,
  ): Promise<BulkResult> {
    return this.orders.createMany(actor, new BulkSource(request), query.mode ?? 'all');
  }

  @Get()
  @Allow(ANCHOR_READERS)
  @ApiOperation({ summary: "The anchor's purchase orders" })
  @ApiOkResponse({ type: PurchaseOrderPage })
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: ListPurchaseOrdersQuery,
  ): Promise<PurchaseOrderPage> {
    const page = await this.orders.list(
      actor,
      { supplierId: query.supplierId, number: query.number },
      query,
    );
    return {
      items: page.items.map((order) => PurchaseOrderView.of(order)),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  @Allow(ANCHOR_READERS)
  @ApiOperation({ summary: 'One purchase order with its lines and what was received' })
  @ApiOkResponse({ type: PurchaseOrderView })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Purchase order')) id: string,
  ): Promise<PurchaseOrderView> {
    return PurchaseOrderView.of(await this.orders.get(actor, id));
  }
}
