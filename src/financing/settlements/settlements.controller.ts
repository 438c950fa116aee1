import { Body, Controller, Get, Header, Post, Query } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Allow } from '../../common/auth/access.decorator';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/current-actor.decorator';
import { OrganizationKind, Role } from '../../common/auth/roles';
import { IsIsoDate } from '../../common/calendar/calendar.validators';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import { ApiCredentials } from '../../common/http/api-docs.decorators';
import { IsTradeCurrency } from '../../common/money/money.validators';
import { Disbursements } from '../financings/disbursements.service';
import { PAIN001_VERSIONS } from '../financings/financings.controller';
import type { Pain001Version } from '../iso20022/pain001';
import { Camt054Import, type Camt054ImportResult } from './camt054-import.service';

export class DayInstructionQuery {
  @ApiProperty({
    example: '2026-12-01',
    description: "The approval day, in each program's time zone",
  })
  @IsIsoDate()
  date: string;

  @ApiPropertyOptional({ enum: PAIN001_VERSIONS, default: '001.001.12' })
  @IsOptional()
  @IsIn(PAIN001_VERSIONS)
  version?: Pain001Version;

  @ApiPropertyOptional({
    example: 'CNY',
    description: 'Needed when that day has several currencies',
  })
  @IsOptional()
  @IsTradeCurrency()
  currency?: string;
}

@ApiTags('Financing')
@ApiCredentials()
@Controller()
export class SettlementsController {
  constructor(
    private readonly camt054: Camt054Import,
    private readonly disbursements: Disbursements,
  ) {}

  @Post('settlements/camt054')
  @Allow({ kinds: [OrganizationKind.FINANCIER], roles: [Role.OPERATOR, Role.ADMIN] })
  @ApiConsumes('application/xml')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiOperation({
    summary:
      "The financier's bank notification (camt.054): credits matched by end-to-end id or reference, each applied once",
  })
  @ApiOkResponse({ description: '{ messageId, matched[], alreadyApplied[], unmatched[] }' })
  import(@CurrentActor() actor: Actor, @Body() body: Buffer): Promise<Camt054ImportResult> {
    if (!Buffer.isBuffer(body) || body.length === 0)
      throw new DomainError(
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        'Send the camt.054 file as application/xml.',
      );
    return this.camt054.import(actor, body);
  }

  @Get('payment-instructions')
  @Allow({ kinds: [OrganizationKind.FINANCIER] })
  @Header('Content-Type', 'application/xml; charset=utf-8')
  @ApiProduces('application/xml')
  @ApiOperation({ summary: 'One pain.001 for all the financings the financier approved on a day' })
  @ApiOkResponse({ description: 'pain.001 XML', schema: { type: 'string' } })
  day(@CurrentActor() actor: Actor, @Query() query: DayInstructionQuery): Promise<string> {
    return this.disbursements.dayInstruction(
      actor,
      query.date,
      query.version ?? '001.001.12',
      query.currency,
    );
  }
}
