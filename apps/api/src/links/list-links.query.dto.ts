import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import type { ExistingLinkStatus } from '@lib/account-linking/application/ports/link-read-model.port';
import { PageQueryDto } from '../queries/page-query.dto';
import { LINK_STATUSES } from './link-view.response.dto';

class LinkFilterDto {
  @ApiPropertyOptional({ description: "Only the links of this customer (the app's own reference)" })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  customerReference?: string;

  @ApiPropertyOptional({ enum: LINK_STATUSES, enumName: 'LinkStatus' })
  @IsOptional()
  @IsIn(LINK_STATUSES)
  status?: ExistingLinkStatus;
}

/** `GET /v1/links?customerReference=&status=&limit=&cursor=`. */
export class ListLinksQueryDto extends IntersectionType(LinkFilterDto, PageQueryDto) {}
