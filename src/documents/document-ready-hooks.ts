import { Injectable } from '@nestjs/common';
import type { DocumentKind, DocumentRecord } from './document.entity';

export type DocumentReadyHook = (document: DocumentRecord) => Promise<void>;

/**
 * What other modules do when a document of a kind becomes READY (a pledge becomes ACTIVE once
 * its agreement is issued). Hooks run inside the transaction that marks the document READY, so
 * the two happen together or not at all; the documents module knows no pledge.
 */
@Injectable()
export class DocumentReadyHooks {
  private readonly hooks = new Map<DocumentKind, DocumentReadyHook>();

  on(kind: DocumentKind, hook: DocumentReadyHook): void {
    if (this.hooks.has(kind)) throw new Error(`a READY hook for ${kind} is registered already`);
    this.hooks.set(kind, hook);
  }

  async run(document: DocumentRecord): Promise<void> {
    await this.hooks.get(document.kind)?.(document);
  }
}
