import { Instant } from './state-view';
import { type InvestigatedEvent, kycFieldsOf } from './views';

const OUTCOME_LABEL: Record<string, string> = {
  match: 'match（一致）',
  mismatch: 'mismatch（不一致）',
  not_provided: 'not provided（提供なし）',
};

function KycFields({ event }: { event: InvestigatedEvent }) {
  const fields = kycFieldsOf(event);
  if (!fields) return null;
  return (
    <table class="kyc">
      <caption>KYC per field（項目別照合）</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Outcome</th>
        </tr>
      </thead>
      <tbody>
        {fields.map((field) => (
          <tr key={field.field} class={`outcome-${field.result}`}>
            <th scope="row">{field.field}</th>
            <td>{OUTCOME_LABEL[field.result] ?? field.result}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Events in the order the service gives them (stream order, or global order for merged streams). */
export function Timeline({
  caption,
  events,
  showStream = false,
  onSeeStateAt,
}: {
  caption: string;
  events: InvestigatedEvent[];
  showStream?: boolean;
  onSeeStateAt?: (at: string) => void;
}) {
  return (
    <table class="timeline">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Time（日時）</th>
          <th scope="col">Type（種別）</th>
          <th scope="col">Actor（実行者）</th>
          <th scope="col">Details（内容）</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event, index) => (
          <tr key={event.id} data-event-type={event.type}>
            <td>{index + 1}</td>
            <td class="event-time">
              <Instant iso={event.recordedAt} />
            </td>
            <td class="event-type">
              <code>{event.type}</code>
              {showStream && <div class="stream">{event.streamName}</div>}
            </td>
            <td class="event-actor">
              {event.metadata.actor ? `${event.metadata.actor.type} ${event.metadata.actor.id}` : '—'}
            </td>
            <td>
              <KycFields event={event} />
              {event.personalData !== undefined && <p>Personal data: {event.personalData}</p>}
              <details>
                <summary>Data and metadata（データ）</summary>
                <pre>{JSON.stringify({ data: event.data, metadata: event.metadata }, null, 2)}</pre>
              </details>
              {onSeeStateAt && (
                <button type="button" class="secondary" onClick={() => onSeeStateAt(event.recordedAt)}>
                  State then<span lang="ja">（この時点の状態）</span>
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
