import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class InviteSupplierDto {
  @ApiProperty({ format: 'uuid', description: 'A SUPPLIER organisation (see the directory)' })
  @IsUUID()
  supplierId: string;
}

export class InviteFinancierDto {
  @ApiProperty({ format: 'uuid', description: 'A FINANCIER organisation (see the directory)' })
  @IsUUID()
  financierId: string;
}
