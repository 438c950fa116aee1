import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../../common/auth/access.decorator';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/current-actor.decorator';
import { OrganizationKind, Role } from '../../common/auth/roles';
import { ApiCredentials } from '../../common/http/api-docs.decorators';
import { UuidParam } from '../../common/http/uuid-param.pipe';
import { InvoiceDecisions } from '../confirmations/invoice-decisions.service';
import { CreditNotesService } from '../credit-notes/credit-notes.service';
import { ConfirmInvoiceDto, RaiseCreditNoteDto, RejectInvoiceDto } from './dto/invoice-actions.dto';
import { InvoiceView } from './invoice.view';

const ANCHOR_DECIDERS = {
  kinds: [OrganizationKind.ANCHOR],
  roles: [Role.ADMIN, Role.OPERATOR, Role.APPROVER],
};

@ApiTags('Invoices')
@ApiCredentials()
@Controller('invoices/:id')
export class InvoiceActionsController {
  constructor(
    private readonly decisions: InvoiceDecisions,
    private readonly creditNotes: CreditNotesService,
  ) {}

  @Post('confirm')
  @HttpCode(200)
  @Allow(ANCHOR_DECIDERS)
  @ApiOperation({ summary: 'The anchor undertakes to pay: VERIFIED → CONFIRMED (irrevocable)' })
  @ApiOkResponse({ type: InvoiceView })
  async confirm(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Invoice')) id: string,
    @Body() dto: ConfirmInvoiceDto,
  ): Promise<InvoiceView> {
    return InvoiceView.of(await this.decisions.confirm(actor, id, dto));
  }

  @Post('reject')
  @HttpCode(200)
  @Allow(ANCHOR_DECIDERS)
  @ApiOperation({ summary: 'The anchor refuses the invoice: VERIFIED → REJECTED' })
  @ApiOkResponse({ type: InvoiceView })
  async reject(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Invoice')) id: string,
    @Body() dto: RejectInvoiceDto,
  ): Promise<InvoiceView> {
    return InvoiceView.of(await this.decisions.reject(actor, id, dto.reason));
  }

  @Post('cancel')
  @HttpCode(200)
  @Allow({ kinds: [OrganizationKind.SUPPLIER], roles: [Role.ADMIN, Role.OPERATOR] })
  @ApiOperation({ summary: 'The supplier withdraws the invoice (any state before financing)' })
  @ApiOkResponse({ type: InvoiceView })
  async cancel(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Invoice')) id: string,
  ): Promise<InvoiceView> {
    return InvoiceView.of(await this.decisions.cancel(actor, id));
  }

  @Post('credit-notes')
  @Allow({
    kinds: [OrganizationKind.SUPPLIER, OrganizationKind.ANCHOR],
    roles: [Role.ADMIN, Role.OPERATOR],
  })
  @ApiOperation({
    summary:
      "Dilution: the supplier's credit note is agreed; the anchor's is disputed until the supplier agrees (same number and amount)",
  })
  @ApiCreatedResponse({ type: InvoiceView })
  async raiseCreditNote(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Invoice')) id: string,
    @Body() dto: RaiseCreditNoteDto,
  ): Promise<InvoiceView> {
    return InvoiceView.of(await this.creditNotes.raise(actor, id, dto));
  }
}
