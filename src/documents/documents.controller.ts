import { Controller, Get, Inject, Param, Query, StreamableFile } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import { AnyMember } from '../common/auth/access.decorator';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/current-actor.decorator';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { ApiCredentials } from '../common/http/api-docs.decorators';
import { UuidParam } from '../common/http/uuid-param.pipe';
import { PageQuery, paginate } from '../common/pagination/page';
import { foundOr404 } from '../common/tenancy/not-found';
import { visibleTo } from '../common/tenancy/visibility';
import { DOCUMENT_STORAGE, documentContentKey, type DocumentStorage } from './document-storage';
import { DocumentRecord, DocumentStatus } from './document.entity';
import { DocumentPage, DocumentView } from './document.view';

export class ListDocumentsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'The financing or pledge documented' })
  @IsOptional()
  @IsUUID()
  subjectId?: string;
}

/** Documents the platform issued, to their parties only (another organisation's answers 404). */
@ApiTags('Documents')
@ApiCredentials()
@Controller('documents')
export class DocumentsController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(DOCUMENT_STORAGE) private readonly storage: DocumentStorage,
  ) {}

  @Get()
  @AnyMember()
  @ApiOperation({ summary: 'Documents the caller is party to, newest first' })
  @ApiOkResponse({ type: DocumentPage })
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: ListDocumentsQuery,
  ): Promise<DocumentPage> {
    const qb = visibleTo(this.dataSource.manager, DocumentRecord, 'd', actor);
    if (query.subjectId) qb.andWhere('d.subject_id = :subjectId', { subjectId: query.subjectId });
    const page = await paginate(qb, {
      alias: 'd',
      column: 'created_at',
      property: 'createdAt',
      query,
    });
    return { items: page.items.map((item) => DocumentView.of(item)), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @AnyMember()
  @ApiOperation({ summary: 'One document: kind, status, SHA-256 and pages once READY' })
  @ApiOkResponse({ type: DocumentView })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Document')) id: string,
  ): Promise<DocumentView> {
    return DocumentView.of(await this.find(actor, id));
  }

  @Get(':id/content')
  @AnyMember()
  @ApiOperation({ summary: 'The PDF of a READY document (409 while QUEUED or FAILED)' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The PDF', schema: { type: 'string', format: 'binary' } })
  @ApiConflictResponse({ description: 'The document is not READY' })
  async content(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Document')) id: string,
  ): Promise<StreamableFile> {
    const document = await this.find(actor, id);
    if (document.status !== DocumentStatus.READY)
      throw new DomainError(
        ErrorCode.CONFLICT,
        `Document ${id} is ${document.status}; its content exists once it is READY.`,
      );
    const bytes = await this.storage.get(documentContentKey(id));
    if (!bytes) throw new Error(`document ${id} is READY but its content is not in the store`);
    return new StreamableFile(bytes, {
      type: 'application/pdf',
      length: bytes.length,
      disposition: `inline; filename="${document.number.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf"`,
    });
  }

  private async find(actor: Actor, id: string): Promise<DocumentRecord> {
    return foundOr404(
      await visibleTo(this.dataSource.manager, DocumentRecord, 'd', actor)
        .andWhere('d.id = :id', { id })
        .getOne(),
      'Document',
      id,
    );
  }
}
