import { DeciderSpecification } from '../../testing/decider-specification';
import { linkDecider } from '../link.decider';
import { evolve } from '../link.evolve';
import type { FraudReported } from '../link-events';
import { HISTORIES, type HistoryName, LATER, LINK_ID } from '../testing/link-fixtures';

const given = DeciderSpecification.for(linkDecider);

const reportFraud = { type: 'ReportFraud', data: { by: 'bank', reason: 'mule account', now: LATER } } as const;
const fraudReported: FraudReported = {
  type: 'FraudReported',
  data: { linkId: LINK_ID, at: LATER, by: 'bank', reason: 'mule account' },
};

describe('ReportFraud (R6, R11)', () => {
  it.each([
    'awaiting_bank_authentication',
    'notifying_customer',
    'cooling_off',
    'awaiting_customer_confirmation',
    'active',
    'suspended',
    'revoked',
    'rejected',
    'expired',
  ] as HistoryName[])('records what the bank reported on a link that is %s', (name) => {
    given(HISTORIES[name]).when(reportFraud).then([fraudReported]);
  });

  it('records a second report as a fact of its own', () => {
    given([...HISTORIES.active, fraudReported])
      .when({ ...reportFraud, data: { ...reportFraud.data, reason: 'second victim called' } })
      .then([{ ...fraudReported, data: { ...fraudReported.data, reason: 'second victim called' } }]);
  });

  it('refuses a link that does not exist', () => {
    given([]).when(reportFraud).thenThrows('link_not_found');
  });

  it.each(['active', 'cooling_off', 'suspended'] as HistoryName[])(
    'changes no status by itself: a %s link stays so',
    (name) => {
      const before = HISTORIES[name].reduce(evolve, { status: 'none' });
      expect(evolve(before, fraudReported)).toEqual(before);
    },
  );
});
