import { accountOf } from './format';
import { Instant } from './state-view';
import type { BankAccountHistoryView, LinkView } from './views';

function OpenLink({ linkId, onOpen }: { linkId: string; onOpen: (linkId: string) => void }) {
  return (
    <button type="button" class="link-button" onClick={() => onOpen(linkId)}>
      <code>{linkId}</code>
    </button>
  );
}

/** Links found by device or customer reference, newest first, each one a button that opens its history. */
export function LinksTable({
  caption,
  links,
  onOpen,
}: {
  caption: string;
  links: LinkView[];
  onOpen: (id: string) => void;
}) {
  if (links.length === 0) return <p>{caption}: none.（該当なし）</p>;
  return (
    <table class="links">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Link</th>
          <th scope="col">Status（状態）</th>
          <th scope="col">Payment app（決済アプリ）</th>
          <th scope="col">Bank account（口座）</th>
          <th scope="col">Created（作成）</th>
        </tr>
      </thead>
      <tbody>
        {links.map((link) => (
          <tr key={link.id}>
            <td>
              <OpenLink linkId={link.id} onOpen={onOpen} />
            </td>
            <td>{link.status}</td>
            <td>{link.paymentApp?.id ?? '—'}</td>
            <td>{accountOf(link.bankAccount)}</td>
            <td>
              <Instant iso={link.createdAt} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Every link and attempt on one account, oldest first, with outcomes (`GET /v1/investigations/bank-accounts`). */
export function AccountHistory({ history, onOpen }: { history: BankAccountHistoryView; onOpen: (id: string) => void }) {
  return (
    <table class="links">
      <caption>Every attempt on account {accountOf(history.bankAccount)}（口座の全履歴）</caption>
      <thead>
        <tr>
          <th scope="col">When（日時）</th>
          <th scope="col">What（内容）</th>
          <th scope="col">Link</th>
          <th scope="col">Outcome（結果）</th>
        </tr>
      </thead>
      <tbody>
        {history.entries.map((entry, index) =>
          entry.kind === 'link_attempt' ? (
            <tr key={index}>
              <td>
                <Instant iso={entry.attemptedAt} />
              </td>
              <td>Link attempt by {entry.paymentAppId}</td>
              <td>
                <OpenLink linkId={entry.linkId} onOpen={onOpen} />
              </td>
              <td>
                {entry.outcome}
                {entry.reason !== undefined && ` (${entry.reason})`}
              </td>
            </tr>
          ) : (
            <tr key={index}>
              <td>
                <Instant iso={entry.at} />
              </td>
              <td>
                {entry.kind === 'account_locked' ? `Account locked until ${entry.lockedUntil}` : 'Account closed'}
              </td>
              <td>—</td>
              <td>{entry.kind}</td>
            </tr>
          ),
        )}
      </tbody>
    </table>
  );
}
