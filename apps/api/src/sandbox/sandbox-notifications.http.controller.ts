import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { LINK_ID_PATTERN } from '@lib/account-linking/application/link-id';
import {
  type SandboxNotification,
  SandboxNotificationOutbox,
} from '@lib/account-linking/infrastructure/notifications/sandbox-notification-outbox';
import { JwtAuthGuard } from '@lib/platform/auth/jwt-auth.guard';
import { Roles } from '@lib/platform/auth/roles.decorator';
import { RolesGuard } from '@lib/platform/auth/roles.guard';
import { Scopes } from '@lib/platform/auth/scopes.decorator';
import { ApiAccessToken, ApiProblems } from '../openapi/api-docs.decorators';

export class SandboxNotificationsQueryDto {
  @ApiPropertyOptional({ description: 'Only the notifications of this link', example: 'lnk_3q2x' })
  @IsOptional()
  @Matches(LINK_ID_PATTERN, { message: 'linkId must be a link id (lnk_…)' })
  linkId?: string;

  @ApiPropertyOptional({ description: 'At most this many, newest first', minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

/** API.md "Sandbox": the notifications Sandbox Bank's customers would have been sent, newest first. */
@ApiTags('sandbox')
@Controller('v1/sandbox/notifications')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('operator')
@Scopes('admin')
export class SandboxNotificationsHttpController {
  constructor(@Inject(SandboxNotificationOutbox) private readonly outbox: SandboxNotificationOutbox) {}

  @Get()
  @ApiOperation({
    summary: "The notifications Sandbox Bank's customers would have received",
    description: 'The Japanese text as it would be sent, with the bank-reported contact masked.',
  })
  @ApiAccessToken('admin')
  @ApiOkResponse({ description: '`{ items: [{ messageId, linkId, channel, recipient, subject, text, createdAt }] }`' })
  @ApiProblems({ 400: 'A malformed linkId or limit (`validation_failed`)' })
  async list(@Query() query: SandboxNotificationsQueryDto): Promise<{ items: SandboxNotification[] }> {
    return {
      items: await this.outbox.list({ ...(query.linkId ? { linkId: query.linkId } : {}), limit: query.limit ?? 50 }),
    };
  }
}
