import { PageOf } from '../../common/pagination/page';
import { ApiProperty } from '@nestjs/swagger';
import { OrganizationKind } from '../../common/auth/roles';
import type { Organization } from '../organization.entity';
import { OrganizationIdentifierDto } from './create-organization.dto';

export class OrganizationView {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ enum: OrganizationKind, enumName: 'OrganizationKind' })
  kind: OrganizationKind;
  @ApiProperty()
  name: string;
  @ApiProperty({ type: String, nullable: true })
  registrationId: string | null;
  @ApiProperty({ type: String, nullable: true })
  industry: string | null;
  @ApiProperty({ type: [OrganizationIdentifierDto] })
  identifiers: OrganizationIdentifierDto[];
  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  static of(organization: Organization): OrganizationView {
    return {
      id: organization.id,
      kind: organization.kind,
      name: organization.name,
      registrationId: organization.registrationId,
      industry: organization.industry,
      identifiers: (organization.identifiers ?? [])
        .map((identifier) => ({ scheme: identifier.scheme, value: identifier.value }))
        .sort((a, b) => a.scheme.localeCompare(b.scheme) || a.value.localeCompare(b.value)),
      createdAt: organization.createdAt.toISOString(),
    };
  }
}

export class OrganizationPage extends PageOf(OrganizationView) {}
