import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../common/pagination/page';
import { DocumentKind, DocumentStatus, type DocumentRecord } from './document.entity';

/** A document's metadata: its content is at /documents/:id/content once READY. */
export class DocumentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: DocumentKind, enumName: 'DocumentKind' }) kind: DocumentKind;
  @ApiProperty({ enum: DocumentStatus, enumName: 'DocumentStatus' }) status: DocumentStatus;
  @ApiProperty({ example: 'AN-SCF-2026-000042' }) number: string;
  @ApiProperty({ example: 'financing' }) subjectType: string;
  @ApiProperty({ format: 'uuid' }) subjectId: string;
  @ApiProperty({ type: [String], format: 'uuid' }) partyIds: string[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Hex SHA-256 of the PDF bytes (READY only)',
  })
  sha256: string | null;
  @ApiProperty({ type: Number, nullable: true }) pages: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why rendering failed (FAILED only)' })
  failureReason: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;

  static of(document: DocumentRecord): DocumentView {
    return {
      id: document.id,
      kind: document.kind,
      status: document.status,
      number: document.number,
      subjectType: document.subjectType,
      subjectId: document.subjectId,
      partyIds: document.partyIds,
      sha256: document.sha256 === null ? null : document.sha256.trim(),
      pages: document.pages,
      failureReason: document.failureReason,
      createdAt: document.createdAt.toISOString(),
      updatedAt: document.updatedAt.toISOString(),
    };
  }
}

export class DocumentPage extends PageOf(DocumentView) {}
