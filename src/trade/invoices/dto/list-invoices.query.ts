import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { IsIsoDate } from '../../../common/calendar/calendar.validators';
import { PageQuery } from '../../../common/pagination/page';
import { InvoiceStatus } from '../invoice-status';

export class ListInvoicesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: InvoiceStatus, enumName: 'InvoiceStatus' })
  @IsOptional()
  @IsEnum(InvoiceStatus)
  status?: InvoiceStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  anchorId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  supplierId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  programId?: string;

  @ApiPropertyOptional({ example: '2026-12-01', description: 'Due on or after' })
  @IsOptional()
  @IsIsoDate()
  dueFrom?: string;

  @ApiPropertyOptional({ example: '2027-03-31', description: 'Due on or before' })
  @IsOptional()
  @IsIsoDate()
  dueTo?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Invoices of one bulk upload' })
  @IsOptional()
  @IsUUID()
  batchId?: string;
}
