import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OrganizationKind, Role } from '../../common/auth/roles';

export class MeUser {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty()
  email: string;
  @ApiProperty()
  name: string;
  @ApiProperty({ enum: Role, enumName: 'Role', isArray: true })
  roles: Role[];
}

export class MeApiKey {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty()
  name: string;
  @ApiProperty({ enum: Role, enumName: 'Role', isArray: true })
  roles: Role[];
}

export class MeOrganization {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ enum: OrganizationKind, enumName: 'OrganizationKind' })
  kind: OrganizationKind;
  @ApiProperty()
  name: string;
}

export class MeView {
  @ApiProperty({ type: MeUser, nullable: true, description: 'null when the caller is an API key' })
  user: MeUser | null;
  @ApiPropertyOptional({ type: MeApiKey, description: 'present when the caller is an API key' })
  apiKey?: MeApiKey;
  @ApiProperty({ type: MeOrganization })
  organization: MeOrganization;
}
