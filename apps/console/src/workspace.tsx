import { useCallback, useRef, useState } from 'preact/hooks';
import { ApiProblem, type InvestigatorSession } from './investigator-api';
import { LinkHistory } from './link-history';
import { AccountHistory, LinksTable } from './search-results';
import { searchTermOf } from './search-terms';
import type { BankAccountHistoryView, LinkPage } from './views';

type Found =
  | { kind: 'bank_account'; history: BankAccountHistoryView }
  | { kind: 'links'; value: string; byDevice: LinkPage | null; byCustomer: LinkPage }
  | { kind: 'problem'; message: string };

/** `Search`, then what was found: a link's history, an account's attempts, or a device's or customer's links. */
export function Workspace({
  session,
  onSessionEnded,
}: {
  session: InvestigatorSession;
  onSessionEnded: (why: string) => void;
}) {
  const { api } = session;
  const [term, setTerm] = useState('');
  const [searchError, setSearchError] = useState<string | null>(null);
  const [found, setFound] = useState<Found | null>(null);
  const [linkId, setLinkId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const searchInput = useRef<HTMLInputElement>(null);

  /** A problem in words; a refused token ends the session (it expired, or was never good for this). */
  const describe = useCallback(
    (problem: unknown): string => {
      if (problem instanceof ApiProblem) {
        if (problem.status === 401)
          onSessionEnded('Your session has ended: sign in again.（再度サインインしてください）');
        if (problem.status === 404) return `Not found: ${problem.message} (${problem.code}).（見つかりません）`;
        return `Refused: ${problem.message} (${problem.code}).`;
      }
      return 'Something went wrong reading from the service.';
    },
    [onSessionEnded],
  );

  const search = async (event: Event) => {
    event.preventDefault();
    const searched = searchTermOf(term);
    setSearchError(null);
    if (searched.kind === 'invalid') {
      setSearchError(searched.reason);
      searchInput.current?.focus();
      return;
    }
    if (searched.kind === 'link') {
      setFound(null);
      setLinkId(searched.linkId);
      return;
    }
    setBusy(true);
    setLinkId(null);
    try {
      if (searched.kind === 'bank_account') {
        const query = new URLSearchParams({
          bankCode: searched.bankCode,
          branchCode: searched.branchCode,
          type: searched.type,
          number: searched.number,
        });
        setFound({
          kind: 'bank_account',
          history: await api.getJson<BankAccountHistoryView>(`/v1/investigations/bank-accounts?${query}`),
        });
      } else {
        const value = searched.value;
        const [byDevice, byCustomer] = await Promise.all([
          searched.couldBeDevice
            ? api.getJson<LinkPage>(`/v1/investigations/devices/${encodeURIComponent(value)}/links?limit=100`)
            : Promise.resolve(null),
          api.getJson<LinkPage>(
            `/v1/investigations/customer-links?${new URLSearchParams({ customerReference: value, limit: '100' })}`,
          ),
        ]);
        setFound({ kind: 'links', value, byDevice, byCustomer });
      }
    } catch (problem) {
      setFound({ kind: 'problem', message: describe(problem) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <search class="panel">
        <form class="inline-form" noValidate onSubmit={search}>
          <div class="field">
            <label for="search">
              Search<span lang="ja">（検索）</span>
            </label>
            <input
              id="search"
              ref={searchInput}
              type="search"
              spellcheck={false}
              value={term}
              aria-invalid={searchError !== null ? true : undefined}
              aria-describedby={searchError !== null ? 'search-hint search-error' : 'search-hint'}
              onInput={(event) => setTerm(event.currentTarget.value)}
            />
          </div>
          <button type="submit" disabled={busy}>
            Search<span lang="ja">（検索）</span>
          </button>
        </form>
        <p id="search-hint" class="hint">
          A link id (lnk_…), a device id, a customer reference, or an account written bankCode-branchCode-type-number
          (9900-001-ordinary-1234567).
        </p>
        {searchError !== null && (
          <p id="search-error" class="error" role="alert">
            {searchError}
          </p>
        )}
      </search>

      {found?.kind === 'problem' && (
        <p class="panel error" role="alert">
          {found.message}
        </p>
      )}
      {found?.kind === 'bank_account' && (
        <section class="panel" aria-label="Account history">
          <AccountHistory history={found.history} onOpen={setLinkId} />
        </section>
      )}
      {found?.kind === 'links' && (
        <section class="panel" aria-label="Links found">
          {found.byDevice !== null && (
            <LinksTable
              caption={`Links from device ${found.value}（端末）`}
              links={found.byDevice.items}
              onOpen={setLinkId}
            />
          )}
          <LinksTable
            caption={`Links of customer reference ${found.value}（顧客参照）`}
            links={found.byCustomer.items}
            onOpen={setLinkId}
          />
        </section>
      )}
      {linkId !== null && <LinkHistory key={linkId} api={api} linkId={linkId} describe={describe} />}
    </>
  );
}
