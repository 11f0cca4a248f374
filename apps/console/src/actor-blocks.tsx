import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { OperatorApi } from './investigator-api';
import { Instant } from './state-view';
import type { ActorBlockView } from './views';

const KIND_WORDS: Record<ActorBlockView['actor']['kind'], string> = {
  device: 'device（端末）',
  customer: 'customer（顧客）',
  ip_address: 'address（IPアドレス）',
};

/** Where a block stands: lifted by an operator, run out by its timer, or in force. */
function standingOf(block: ActorBlockView): 'lifted' | 'expired' | 'active' {
  if (block.liftedAt !== undefined) return 'lifted';
  if (block.expiredAt !== undefined || Date.parse(block.until) <= Date.now()) return 'expired';
  return 'active';
}

/**
 * `Actor blocks`: the blocks of devices, app customers and addresses (`GET /v1/admin/actor-blocks`), in force
 * only or all of them, and `Lift` with a reason (`DELETE /v1/admin/actor-blocks/{id}`).
 */
export function ActorBlocks({ api, describe }: { api: OperatorApi; describe: (problem: unknown) => string }) {
  const [activeOnly, setActiveOnly] = useState(true);
  const [blocks, setBlocks] = useState<ActorBlockView[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [lifting, setLifting] = useState<ActorBlockView | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reasonInput = useRef<HTMLInputElement>(null);

  const load = useCallback(
    async (onlyActive: boolean) => {
      setProblem(null);
      try {
        const query = onlyActive ? '?active=true' : '';
        setBlocks((await api.getJson<{ items: ActorBlockView[] }>(`/v1/admin/actor-blocks${query}`)).items);
      } catch (failure) {
        setProblem(describe(failure));
      }
    },
    [api, describe],
  );

  useEffect(() => {
    void load(activeOnly);
  }, [load, activeOnly]);

  useEffect(() => {
    if (lifting !== null) reasonInput.current?.focus();
  }, [lifting]);

  const startLifting = (block: ActorBlockView) => {
    setOutcome(null);
    setReason('');
    setReasonError(null);
    setLifting(block);
  };

  const lift = async (event: Event) => {
    event.preventDefault();
    if (lifting === null) return;
    if (reason.trim() === '') {
      setReasonError('A reason is required: it is recorded with the lift.（理由を入力してください）');
      reasonInput.current?.focus();
      return;
    }
    setBusy(true);
    setReasonError(null);
    try {
      const lifted = await api.send<ActorBlockView>(
        'DELETE',
        `/v1/admin/actor-blocks/${encodeURIComponent(lifting.id)}`,
        {
          reason: reason.trim(),
        },
      );
      setLifting(null);
      setOutcome(`Lifted block ${lifted.id} of ${lifted.actor.kind} ${lifted.actor.key}.（ブロックを解除しました）`);
      await load(activeOnly);
    } catch (failure) {
      setReasonError(describe(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="actor-blocks-heading">
      <h2 id="actor-blocks-heading">
        Actor blocks <span lang="ja">（アクターブロック）</span>
      </h2>
      <p class="hint">
        Devices, app customers and addresses blocked after failing on too many accounts (R8). An address is shown as its
        keyed hash.
      </p>
      <div class="inline-form">
        <div class="field checkbox">
          <input
            id="active-only"
            type="checkbox"
            checked={activeOnly}
            onChange={(event) => setActiveOnly(event.currentTarget.checked)}
          />
          <label for="active-only">
            In force only<span lang="ja">（有効なもののみ）</span>
          </label>
        </div>
        <button type="button" class="secondary" onClick={() => void load(activeOnly)}>
          Refresh<span lang="ja">（再読み込み）</span>
        </button>
      </div>
      {problem !== null && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      <div role="status">{outcome !== null && <p class="notice">{outcome}</p>}</div>
      {blocks !== null &&
        (blocks.length === 0 ? (
          <p>
            {activeOnly ? 'No block is in force.（有効なブロックはありません）' : 'No block.（ブロックはありません）'}
          </p>
        ) : (
          <table class="blocks">
            <caption>{activeOnly ? 'Blocks in force（有効なブロック）' : 'Every block（すべてのブロック）'}</caption>
            <thead>
              <tr>
                <th scope="col">Actor kind（種別）</th>
                <th scope="col">App（決済アプリ）</th>
                <th scope="col">Key（識別子）</th>
                <th scope="col">Blocked at（開始）</th>
                <th scope="col">Until（期限）</th>
                <th scope="col">Reason（理由）</th>
                <th scope="col">Accounts tried（試行口座数）</th>
                <th scope="col">Lifted / expired（解除・満了）</th>
                <th scope="col">Action（操作）</th>
              </tr>
            </thead>
            <tbody>
              {blocks.map((block) => {
                const standing = standingOf(block);
                return (
                  <tr key={block.id} data-block-id={block.id}>
                    <td data-label="Actor kind">{KIND_WORDS[block.actor.kind] ?? block.actor.kind}</td>
                    <td data-label="App">{block.actor.paymentAppId}</td>
                    <td data-label="Key" class="actor-key">
                      <code>{block.actor.key}</code>
                    </td>
                    <td data-label="Blocked at">
                      <Instant iso={block.blockedAt} />
                    </td>
                    <td data-label="Until">
                      <Instant iso={block.until} />
                    </td>
                    <td data-label="Reason">{block.reason}</td>
                    <td data-label="Accounts tried" class="accounts-tried">
                      {block.accountsTried}
                    </td>
                    <td data-label="Lifted / expired" class="standing">
                      {standing === 'lifted' && (
                        <>
                          lifted <Instant iso={block.liftedAt} />
                          {block.liftReason !== undefined && <>: {block.liftReason}</>}
                        </>
                      )}
                      {standing === 'expired' &&
                        (block.expiredAt !== undefined ? (
                          <>
                            expired <Instant iso={block.expiredAt} />
                          </>
                        ) : (
                          'expired'
                        ))}
                      {standing === 'active' && 'in force（有効）'}
                    </td>
                    <td data-label="Action">
                      {standing === 'active' && (
                        <button type="button" class="secondary" onClick={() => startLifting(block)}>
                          Lift<span class="visually-hidden"> the block of {block.actor.key}</span>
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ))}
      {lifting !== null && (
        <form class="inline-form lift-form" noValidate onSubmit={lift} aria-label="Lift a block">
          <p class="field-wide">
            Lifting block <code>{lifting.id}</code> of {lifting.actor.kind} <code>{lifting.actor.key}</code>.
          </p>
          <div class="field">
            <label for="lift-reason">
              Reason for lifting<span lang="ja">（解除の理由）</span>
            </label>
            <input
              id="lift-reason"
              ref={reasonInput}
              value={reason}
              maxLength={500}
              aria-invalid={reasonError !== null ? true : undefined}
              aria-describedby={reasonError !== null ? 'lift-error' : undefined}
              onInput={(event) => setReason(event.currentTarget.value)}
            />
          </div>
          <button type="submit" disabled={busy}>
            Confirm lift<span lang="ja">（解除する）</span>
          </button>
          <button type="button" class="secondary" onClick={() => setLifting(null)}>
            Cancel<span lang="ja">（取り消し）</span>
          </button>
          {reasonError !== null && (
            <p id="lift-error" class="error field-wide" role="alert">
              {reasonError}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
