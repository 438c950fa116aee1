import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { UsersModule } from '../users/users.module';
import { OrganizationsController } from './organizations.controller';
import { OrganizationsRepository } from './organizations.repository';
import { OrganizationsService } from './organizations.service';
import { PlatformBootstrap } from './platform-bootstrap';

@Module({
  imports: [UsersModule, NotificationsModule],
  controllers: [OrganizationsController],
  providers: [OrganizationsRepository, OrganizationsService, PlatformBootstrap],
  exports: [OrganizationsRepository],
})
export class OrganizationsModule {}
