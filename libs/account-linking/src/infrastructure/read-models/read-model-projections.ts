import type { RebuildableProjection } from '@lib/event-store/projections/rebuildable-projection';
import { AccountHistoryProjection } from './account-history.projection';
import { ActorBlocksProjection } from './actor-blocks.projection';
import { ActorSignalsProjection } from './actor-signals.projection';
import { CasesProjection } from './cases.projection';
import { DebitsProjection } from './debits.projection';
import { LinksProjection } from './links.projection';

/** The read models of the account-linking context: the projection host runs them, the admin API rebuilds them. */
export const accountLinkingReadModels = (): RebuildableProjection[] => [
  new LinksProjection(),
  new AccountHistoryProjection(),
  new ActorBlocksProjection(),
  new ActorSignalsProjection(),
  new DebitsProjection(),
  new CasesProjection(),
];
