import { PageOf } from '../../common/pagination/page';
import { ApiProperty } from '@nestjs/swagger';
import { Role } from '../../common/auth/roles';
import type { User } from '../user.entity';

export class UserView {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  organizationId: string;
  @ApiProperty()
  email: string;
  @ApiProperty()
  name: string;
  @ApiProperty({ enum: Role, enumName: 'Role', isArray: true })
  roles: Role[];
  @ApiProperty()
  active: boolean;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  static of(user: User): UserView {
    return {
      id: user.id,
      organizationId: user.organizationId,
      email: user.email,
      name: user.name,
      roles: user.roles,
      active: user.active,
      createdAt: user.createdAt.toISOString(),
    };
  }
}

export class UserPage extends PageOf(UserView) {}
