import { Injectable, type PipeTransform } from '@nestjs/common';
import { notFound } from '../tenancy/not-found';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that is not a UUID names nothing: 404, like any id the caller cannot see. */
@Injectable()
export class UuidParam implements PipeTransform<string, string> {
  constructor(private readonly entity = 'Resource') {}

  transform(value: string): string {
    if (!UUID.test(value)) throw notFound(this.entity, value);
    return value.toLowerCase();
  }
}
