import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { LinkViewResponseDto } from './link-view.response.dto';

@ApiSchema({ name: 'LinkPage' })
export class LinkPageResponseDto {
  @ApiProperty({ type: [LinkViewResponseDto], description: 'Newest first' })
  items!: LinkViewResponseDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page',
  })
  nextCursor!: string | null;
}
