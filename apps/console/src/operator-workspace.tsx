import { useCallback } from 'preact/hooks';
import { ActorBlocks } from './actor-blocks';
import { BankSuspensions } from './bank-suspensions';
import { ApiProblem, type OperatorSession } from './investigator-api';

/** The operator's pages: actor blocks and bank suspensions, every change recorded with this client and a reason. */
export function OperatorWorkspace({
  session,
  onSessionEnded,
}: {
  session: OperatorSession;
  onSessionEnded: (why: string) => void;
}) {
  /** A problem in words; a refused token ends the session (it expired, or was never good for this). */
  const describe = useCallback(
    (problem: unknown): string => {
      if (problem instanceof ApiProblem) {
        if (problem.status === 401)
          onSessionEnded('Your session has ended: sign in again.（再度サインインしてください）');
        if (problem.status === 404) return `Not found: ${problem.message} (${problem.code}).（見つかりません）`;
        return `Refused: ${problem.message} (${problem.code}).`;
      }
      return 'Something went wrong talking to the service.';
    },
    [onSessionEnded],
  );

  return (
    <>
      <nav class="panel operator-nav" aria-label="Operator pages">
        <ul>
          <li>
            <a href="#actor-blocks-heading">Actor blocks</a>
          </li>
          <li>
            <a href="#bank-suspensions-heading">Bank suspensions</a>
          </li>
        </ul>
      </nav>
      <ActorBlocks api={session.api} describe={describe} />
      <BankSuspensions api={session.api} describe={describe} />
    </>
  );
}
