import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiProblem, type InvestigatorApi } from './investigator-api';
import { StateView } from './state-view';
import { Timeline } from './timeline';
import type { LinkEventsView, LinkStateAsOfView } from './views';

// The service refuses an instant without a zone (it would depend on the server's); so does the console.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

export type ProblemHandler = (problem: unknown) => string;

type Loaded = { events: LinkEventsView; now: LinkStateAsOfView } | { problem: string } | null;

const linkPath = (linkId: string) => `/v1/investigations/links/${encodeURIComponent(linkId)}`;

/** One link: its state now, its state as of any instant, its timeline, and its evidence bundle. */
export function LinkHistory({
  api,
  linkId,
  describe,
}: {
  api: InvestigatorApi;
  linkId: string;
  describe: ProblemHandler;
}) {
  const [loaded, setLoaded] = useState<Loaded>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let current = true;
    setLoaded(null);
    const at = new Date().toISOString();
    Promise.all([
      api.getJson<LinkEventsView>(`${linkPath(linkId)}/events`),
      api.getJson<LinkStateAsOfView>(`${linkPath(linkId)}/state?at=${encodeURIComponent(at)}`),
    ]).then(
      ([events, now]) => current && setLoaded({ events, now }),
      (problem: unknown) => current && setLoaded({ problem: describe(problem) }),
    );
    return () => {
      current = false;
    };
  }, [api, linkId, describe]);

  useEffect(() => {
    if (loaded !== null) heading.current?.focus();
  }, [loaded]);

  return (
    <section class="panel link" aria-labelledby="link-heading">
      <h2 id="link-heading" tabIndex={-1} ref={heading}>
        Link <code>{linkId}</code>
      </h2>
      {loaded === null && <p role="status">Loading…（読み込み中）</p>}
      {loaded !== null && 'problem' in loaded && (
        <p class="error" role="alert">
          {loaded.problem}
        </p>
      )}
      {loaded !== null && 'events' in loaded && (
        <LoadedLink api={api} linkId={linkId} describe={describe} events={loaded.events} now={loaded.now} />
      )}
    </section>
  );
}

function LoadedLink({
  api,
  linkId,
  describe,
  events,
  now,
}: {
  api: InvestigatorApi;
  linkId: string;
  describe: ProblemHandler;
  events: LinkEventsView;
  now: LinkStateAsOfView;
}) {
  const [asOf, setAsOf] = useState('');
  const [asOfState, setAsOfState] = useState<LinkStateAsOfView | null>(null);
  const [asOfError, setAsOfError] = useState<string | null>(null);
  const asOfInput = useRef<HTMLInputElement>(null);

  const showStateAt = async (at: string) => {
    setAsOfError(null);
    if (!INSTANT.test(at.trim())) {
      setAsOfState(null);
      setAsOfError(
        'As of takes an ISO 8601 instant with its zone, e.g. 2026-11-20T10:05:00Z.（日時の形式が正しくありません）',
      );
      asOfInput.current?.focus();
      return;
    }
    try {
      setAsOfState(
        await api.getJson<LinkStateAsOfView>(`${linkPath(linkId)}/state?at=${encodeURIComponent(at.trim())}`),
      );
    } catch (problem) {
      setAsOfState(null);
      setAsOfError(describe(problem));
    }
  };

  const seeStateAt = (at: string) => {
    setAsOf(at);
    void showStateAt(at);
    asOfInput.current?.scrollIntoView({ block: 'center' });
    asOfInput.current?.focus();
  };

  return (
    <>
      <section aria-labelledby="state-now-heading">
        <h3 id="state-now-heading">State now（現在の状態）</h3>
        <StateView view={now} label="state-now" />
      </section>

      <section aria-labelledby="as-of-heading">
        <h3 id="as-of-heading">State at an instant（指定時点の状態）</h3>
        <form
          class="inline-form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void showStateAt(asOf);
          }}
        >
          <div class="field">
            <label for="as-of">
              As of<span lang="ja">（時点）</span>
            </label>
            <input
              id="as-of"
              ref={asOfInput}
              spellcheck={false}
              placeholder="2026-11-20T10:05:00Z"
              value={asOf}
              aria-invalid={asOfError !== null ? true : undefined}
              aria-describedby={asOfError !== null ? 'as-of-hint as-of-error' : 'as-of-hint'}
              onInput={(event) => setAsOf(event.currentTarget.value)}
            />
          </div>
          <button type="submit">
            Show state<span lang="ja">（状態を表示）</span>
          </button>
        </form>
        <p id="as-of-hint" class="hint">
          An ISO 8601 instant with its zone (Z or +09:00); each event's time below can be used.
        </p>
        {asOfError !== null && (
          <p id="as-of-error" class="error" role="alert">
            {asOfError}
          </p>
        )}
        {asOfState !== null && (
          <div aria-live="polite">
            <StateView view={asOfState} label="state-as-of" />
          </div>
        )}
      </section>

      <EvidenceDownload api={api} linkId={linkId} describe={describe} />

      <section aria-labelledby="timeline-heading">
        <h3 id="timeline-heading">Timeline（履歴）</h3>
        <Timeline caption={`Events of link-${linkId}, in order`} events={events.events} onSeeStateAt={seeStateAt} />
        {(events.debitEvents?.length ?? 0) > 0 && (
          <Timeline caption="Debits and spending, in global order" events={events.debitEvents ?? []} showStream />
        )}
        {(events.bankAccountGuardEvents?.length ?? 0) > 0 && (
          <Timeline
            caption="Entries on the bank account's guard"
            events={events.bankAccountGuardEvents ?? []}
            showStream
          />
        )}
      </section>
    </>
  );
}

/** `GET …/links/{id}/evidence` (API.md "Evidence"): saved as a file, as the service signed it. */
function EvidenceDownload({
  api,
  linkId,
  describe,
}: {
  api: InvestigatorApi;
  linkId: string;
  describe: ProblemHandler;
}) {
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  const download = async () => {
    setBusy(true);
    setMessage(null);
    try {
      const response = await api.get(`${linkPath(linkId)}/evidence`);
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const anchor = document.createElement('a');
      anchor.href = url;
      anchor.download = `evidence-${linkId}.json`;
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setMessage({ text: `Saved evidence-${linkId}.json.（保存しました）`, error: false });
    } catch (problem) {
      const text =
        problem instanceof ApiProblem && problem.status === 404 && problem.code !== 'link_not_found'
          ? 'This service does not offer the evidence bundle yet (404).（このサービスでは証拠バンドルをまだ取得できません）'
          : describe(problem);
      setMessage({ text, error: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="evidence-heading">
      <h3 id="evidence-heading">Evidence（証拠）</h3>
      <button type="button" onClick={download} disabled={busy}>
        Download evidence bundle<span lang="ja">（証拠バンドルをダウンロード）</span>
      </button>
      {message && (
        <p class={message.error ? 'error' : 'notice'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
    </section>
  );
}
