import { accountOf, inJapanTime } from './format';
import type { LinkStateAsOfView } from './views';

/** An instant in UTC as the service gives it, with Japan time beside it (under it, in tables). */
function Instant({ iso }: { iso: string | undefined }) {
  if (iso === undefined) return <>—</>;
  return (
    <>
      <time dateTime={iso}>{iso}</time> <span class="jst">({inJapanTime(iso)})</span>
    </>
  );
}

/** A link as it was at one instant (`GET …/links/{id}/state?at=`). */
export function StateView({ view, label }: { view: LinkStateAsOfView; label: string }) {
  const link = view.link;
  return (
    <div class="state" data-testid={label}>
      <p class="state-line">
        As of <Instant iso={view.at} />: <strong class="status">{view.status}</strong>
        {view.revision !== null && <> (revision {view.revision})</>}
      </p>
      {link === null ? (
        <p>The link did not exist yet at this instant.（この時点ではまだ存在しません）</p>
      ) : (
        <dl>
          <dt>Payment app（決済アプリ）</dt>
          <dd>{link.paymentApp?.id ?? view.state?.link?.paymentAppId ?? '—'}</dd>
          <dt>Customer reference（顧客参照）</dt>
          <dd>{link.customer.reference}</dd>
          <dt>Bank account（口座）</dt>
          <dd>{accountOf(link.bankAccount)}</dd>
          <dt>Device（端末）</dt>
          <dd>{link.boundDeviceId ?? link.device.id}</dd>
          <dt>Created（作成）</dt>
          <dd>
            <Instant iso={link.createdAt} />
          </dd>
          {link.activatedAt !== undefined && (
            <>
              <dt>Activated（有効化）</dt>
              <dd>
                <Instant iso={link.activatedAt} />
              </dd>
            </>
          )}
          {link.reason !== undefined && (
            <>
              <dt>Reason（理由）</dt>
              <dd>
                {link.reason}
                {link.reasonDetail ? `: ${link.reasonDetail}` : ''}
              </dd>
            </>
          )}
        </dl>
      )}
    </div>
  );
}

export { Instant };
