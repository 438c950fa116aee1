import { Body, Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBulkUpload } from '../bulk/bulk-body.decorators';
import { BulkModeQuery } from '../bulk/bulk-mode';
import type { BulkResult } from '../bulk/bulk-result';
import { BulkSource } from '../bulk/bulk-source';
import { InvoiceUploads } from './invoice-uploads.service';
import { UblInvoices } from './ubl-invoices.service';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { Allow, AnyMember } from '../../common/auth/access.decorator';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/current-actor.decorator';
import { OrganizationKind, Role } from '../../common/auth/roles';
import { ApiCredentials } from '../../common/http/api-docs.decorators';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import { ListInvoicesQuery } from './dto/list-invoices.query';
import { SubmitInvoiceDto } from './dto/submit-invoice.dto';
import { InvoicePage, InvoiceView } from './invoice.view';
import { InvoicesService } from './invoices.service';
import { EligibilityService } from '../eligibility/eligibility.service';
import { EligibilityView, InvoiceDetailView } from './invoice-detail.view';
import { InvoiceHistory } from './invoice-history';

export class UblProgramQuery {
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'Needed when the anchor has several active programs in the currency with this supplier',
  })
  @IsOptional()
  @IsUUID()
  programId?: string;
}

export const SUPPLIER_WRITERS = {
  kinds: [OrganizationKind.SUPPLIER],
  roles: [Role.ADMIN, Role.OPERATOR],
};

@ApiTags('Invoices')
@ApiCredentials()
@Controller('invoices')
export class InvoicesController {
  constructor(
    private readonly invoices: InvoicesService,
    private readonly uploads: InvoiceUploads,
    private readonly ublInvoices: UblInvoices,
    private readonly history: InvoiceHistory,
    private readonly eligibilityService: EligibilityService,
  ) {}

  @Post()
  @Allow(SUPPLIER_WRITERS)
  @ApiOperation({
    summary:
      'Submit an invoice to an anchor in one of its programs; verification follows in the worker',
  })
  @ApiCreatedResponse({ type: InvoiceView })
  async submit(@CurrentActor() actor: Actor, @Body() dto: SubmitInvoiceDto): Promise<InvoiceView> {
    return InvoiceView.of(await this.invoices.submit(actor, dto));
  }

  @Post('bulk')
  @Allow(SUPPLIER_WRITERS)
  @ApiOperation({
    summary:
      'Submit many invoices: JSON array or CSV (streamed; a million rows is fine); all or nothing unless ?mode=rows',
  })
  @ApiBulkUpload(
    SubmitInvoiceDto,
    'number,anchorId,programId,purchaseOrderNumber,issueDate,dueDate,currency,totalAmount,taxAmount (no lines)',
  )
  bulk(
    @CurrentActor() actor: Actor,
    @Req() request: Request,
    @Query() query: BulkModeQuery,
  ): Promise<BulkResult> {
    return this.uploads.submit(actor, new BulkSource(request), query.mode ?? 'all');
  }

  @Post('ubl')
  @Allow(SUPPLIER_WRITERS)
  @ApiOperation({
    summary:
      'Submit a UBL 2.1 / Peppol BIS 3 Invoice, or a CreditNote / negative invoice that dilutes an invoice',
  })
  @ApiConsumes('application/xml')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ type: InvoiceView })
  async ubl(
    @CurrentActor() actor: Actor,
    @Body() body: Buffer,
    @Query() query: UblProgramQuery,
  ): Promise<InvoiceView> {
    return InvoiceView.of(await this.ublInvoices.submit(actor, body, query.programId));
  }

  @Get()
  @AnyMember()
  @ApiOperation({
    summary: 'Invoices the caller may see: its own (supplier), addressed to it (anchor)',
  })
  @ApiOkResponse({ type: InvoicePage })
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: ListInvoicesQuery,
  ): Promise<InvoicePage> {
    const { limit: _limit, cursor: _cursor, ...filter } = query;
    const page = await this.invoices.list(actor, filter, query);
    return {
      items: page.items.map((invoice) => InvoiceView.of(invoice)),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  @AnyMember()
  @ApiOperation({
    summary: 'One invoice with its verification report, confirmation, credit notes and history',
  })
  @ApiOkResponse({ type: InvoiceDetailView })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Invoice')) id: string,
  ): Promise<InvoiceDetailView> {
    const invoice = await this.invoices.get(actor, id);
    return { ...InvoiceView.of(invoice), history: await this.history.of(invoice) };
  }

  @Get(':id/eligibility')
  @AnyMember()
  @ApiOperation({ summary: 'Why the invoice can or cannot be financed now, every reason at once' })
  @ApiOkResponse({ type: EligibilityView })
  eligibility(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Invoice')) id: string,
  ): Promise<EligibilityView> {
    return this.eligibilityService.explain(actor, id);
  }
}
