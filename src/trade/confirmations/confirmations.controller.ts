import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { Allow } from '../../common/auth/access.decorator';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/current-actor.decorator';
import { OrganizationKind, Role } from '../../common/auth/roles';
import { ApiCredentials } from '../../common/http/api-docs.decorators';
import { BulkSource } from '../bulk/bulk-source';
import { ConfirmationsService } from './confirmations.service';

class ConfirmationListItem {
  @ApiProperty({ example: '91320500MA1XN7Q2PC' }) supplierRegistrationId: string;
  @ApiProperty({ example: 'INV-2026-0042' }) invoiceNumber: string;
  @ApiProperty({
    example: '51900.00',
    description: 'Must equal the invoice less agreed credit notes',
  })
  amount: string;
  @ApiProperty({ example: '2027-01-06' }) paymentDate: string;
}

class BulkConfirmationRowView {
  @ApiProperty() row: number;
  @ApiPropertyOptional({ format: 'uuid' }) invoiceId?: string;
  @ApiProperty({
    enum: [
      'CONFIRMED',
      'NOT_FOUND',
      'AMOUNT_MISMATCH',
      'NOT_VERIFIED',
      'ALREADY_CONFIRMED',
      'INVALID_PAYMENT_DATE',
    ],
  })
  result: string;
  @ApiPropertyOptional() message?: string;
}

class BulkConfirmationView {
  @ApiProperty({ type: [BulkConfirmationRowView] }) rows: BulkConfirmationRowView[];
}

class InvoiceResponseResultView {
  @ApiProperty({ format: 'uuid' }) invoiceId: string;
  @ApiProperty({ enum: ['AB', 'AP', 'RE', 'IP', 'UQ', 'CA', 'PD'] }) responseCode: string;
  @ApiProperty({ enum: ['CONFIRMED', 'ALREADY_CONFIRMED', 'REJECTED', 'QUERY_OPENED'] })
  result: string;
  @ApiPropertyOptional({
    description: 'The same response document was received before; nothing changed',
  })
  duplicate?: boolean;
}

const ANCHOR_DECIDERS = {
  kinds: [OrganizationKind.ANCHOR],
  roles: [Role.ADMIN, Role.OPERATOR, Role.APPROVER],
};

@ApiTags('Invoices')
@ApiCredentials()
@Controller('confirmations')
export class ConfirmationsController {
  constructor(private readonly confirmations: ConfirmationsService) {}

  @Post('bulk')
  @HttpCode(200)
  @Allow(ANCHOR_DECIDERS)
  @ApiOperation({
    summary:
      "The anchor's approved-payables list: each line matched to an invoice and confirmed, with a result per line",
  })
  @ApiExtraModels(ConfirmationListItem)
  @ApiConsumes('application/json', 'text/csv')
  @ApiBody({
    schema: { type: 'array', items: { $ref: getSchemaPath(ConfirmationListItem) } },
    description: 'JSON array, or text/csv: supplierRegistrationId,invoiceNumber,amount,paymentDate',
  })
  @ApiOkResponse({ type: BulkConfirmationView })
  bulk(@CurrentActor() actor: Actor, @Req() request: Request): Promise<BulkConfirmationView> {
    return this.confirmations.confirmList(actor, new BulkSource(request));
  }

  @Post('invoice-response')
  @HttpCode(200)
  @Allow(ANCHOR_DECIDERS)
  @ApiOperation({
    summary:
      'A Peppol Invoice Response (UBL ApplicationResponse): AP confirms, RE rejects, UQ opens a query, others are recorded',
  })
  @ApiConsumes('application/xml')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiOkResponse({ type: InvoiceResponseResultView })
  invoiceResponse(
    @CurrentActor() actor: Actor,
    @Body() body: Buffer,
  ): Promise<InvoiceResponseResultView> {
    return this.confirmations.invoiceResponse(actor, body);
  }
}
