import { Body, Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { IsOptional, IsUUID } from 'class-validator';
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
import { RecordGoodsReceiptDto } from './dto/record-goods-receipt.dto';
import { GoodsReceiptPage, GoodsReceiptView } from './goods-receipt.view';
import { GoodsReceiptsService } from './goods-receipts.service';

export class ListGoodsReceiptsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  purchaseOrderId?: string;
}

const ANCHOR_WRITERS = { kinds: [OrganizationKind.ANCHOR], roles: [Role.ADMIN, Role.OPERATOR] };
const ANCHOR_READERS = { kinds: [OrganizationKind.ANCHOR, OrganizationKind.PLATFORM] };

@ApiTags('Trade records')
@ApiCredentials()
@Controller('goods-receipts')
export class GoodsReceiptsController {
  constructor(private readonly receipts: GoodsReceiptsService) {}

  @Post()
  @Allow(ANCHOR_WRITERS)
  @ApiOperation({ summary: 'Record goods accepted against one of the anchor’s purchase orders' })
  @ApiCreatedResponse({ type: GoodsReceiptView })
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: RecordGoodsReceiptDto,
  ): Promise<GoodsReceiptView> {
    return GoodsReceiptView.of(await this.receipts.record(actor, dto));
  }

  @Post('bulk')
  @Allow(ANCHOR_WRITERS)
  @ApiOperation({
    summary: 'Record many goods receipts: JSON array, or CSV with one accepted SKU per line',
  })
  @ApiBulkUpload(RecordGoodsReceiptDto, 'purchaseOrderNumber,receivedDate,sku,quantityAccepted')
  bulk(
    @CurrentActor() actor: Actor,
    @Req() request: Request,
    @Query() query: BulkModeQuery,
  ): Promise<BulkResult> {
    return this.receipts.recordMany(actor, new BulkSource(request), query.mode ?? 'all');
  }

  @Get()
  @Allow(ANCHOR_READERS)
  @ApiOperation({ summary: "The anchor's goods receipts" })
  @ApiOkResponse({ type: GoodsReceiptPage })
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: ListGoodsReceiptsQuery,
  ): Promise<GoodsReceiptPage> {
    const page = await this.receipts.list(actor, { purchaseOrderId: query.purchaseOrderId }, query);
    return {
      items: page.items.map((receipt) => GoodsReceiptView.of(receipt)),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  @Allow(ANCHOR_READERS)
  @ApiOperation({ summary: 'One goods receipt' })
  @ApiOkResponse({ type: GoodsReceiptView })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Goods receipt')) id: string,
  ): Promise<GoodsReceiptView> {
    return GoodsReceiptView.of(await this.receipts.get(actor, id));
  }
}
