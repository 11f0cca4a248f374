import { ApiPropertyOptional, IntersectionType, OmitType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { ExistingLinkStatus } from '@lib/account-linking/application/ports/link-read-model.port';
import { LINK_STATUSES } from '../links/link-view.response.dto';
import { BankAccountDto } from '../links/request-link.request.dto';
import { PageQueryDto } from '../queries/page-query.dto';

class BankLinkFilterDto {
  @ApiPropertyOptional({ enum: LINK_STATUSES, enumName: 'LinkStatus' })
  @IsOptional()
  @IsIn(LINK_STATUSES)
  status?: ExistingLinkStatus;
}

/** `GET /v1/banks/{bankCode}/links?status=&limit=&cursor=`. */
export class BankLinksQueryDto extends IntersectionType(BankLinkFilterDto, PageQueryDto) {}

/** `GET /v1/banks/{bankCode}/accounts/links?branchCode=&type=&number=`: the bank code is the path's. */
export class BankAccountLinksQueryDto extends IntersectionType(OmitType(BankAccountDto, ['bankCode']), PageQueryDto) {}
