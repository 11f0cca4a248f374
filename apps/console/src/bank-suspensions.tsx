import { useEffect, useRef, useState } from 'preact/hooks';
import type { OperatorApi } from './investigator-api';
import { Instant } from './state-view';
import type { BankView } from './views';

const BANK_CODE = /^\d{4}$/;

/**
 * `Bank suspensions`: one bank by its code (`GET /v1/admin/banks/{bankCode}`), its kill switch (R7), and
 * `Suspend` with a reason (`POST …/suspension`) or `Lift suspension` (`DELETE …/suspension`).
 */
export function BankSuspensions({ api, describe }: { api: OperatorApi; describe: (problem: unknown) => string }) {
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const [bank, setBank] = useState<BankView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const codeInput = useRef<HTMLInputElement>(null);
  const reasonInput = useRef<HTMLInputElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (bank !== null) heading.current?.focus();
  }, [bank?.bankCode]);

  const read = async (bankCode: string) => {
    setBank(await api.getJson<BankView>(`/v1/admin/banks/${encodeURIComponent(bankCode)}`));
  };

  const show = async (event: Event) => {
    event.preventDefault();
    const bankCode = code.trim();
    setOutcome(null);
    setProblem(null);
    if (!BANK_CODE.test(bankCode)) {
      setCodeError('A bank code is 4 digits, e.g. 9900.（銀行コードは4桁です）');
      codeInput.current?.focus();
      return;
    }
    setCodeError(null);
    setBusy(true);
    try {
      await read(bankCode);
      setReason('');
    } catch (failure) {
      setBank(null);
      setProblem(describe(failure));
    } finally {
      setBusy(false);
    }
  };

  const suspend = async (event: Event) => {
    event.preventDefault();
    if (bank === null) return;
    if (reason.trim() === '') {
      setReasonError('A reason is required: it is kept with the suspension.（理由を入力してください）');
      reasonInput.current?.focus();
      return;
    }
    setReasonError(null);
    setBusy(true);
    setOutcome(null);
    try {
      await api.send('POST', `/v1/admin/banks/${encodeURIComponent(bank.bankCode)}/suspension`, {
        reason: reason.trim(),
      });
      setOutcome(`Bank ${bank.bankCode} suspended: new links with it are refused.（停止しました）`);
      setReason('');
      await read(bank.bankCode);
    } catch (failure) {
      setReasonError(describe(failure));
    } finally {
      setBusy(false);
    }
  };

  const lift = async () => {
    if (bank === null) return;
    setBusy(true);
    setOutcome(null);
    setProblem(null);
    try {
      await api.send('DELETE', `/v1/admin/banks/${encodeURIComponent(bank.bankCode)}/suspension`);
      setOutcome(`Bank ${bank.bankCode}'s suspension lifted: new links may go ahead.（停止を解除しました）`);
      await read(bank.bankCode);
    } catch (failure) {
      setProblem(describe(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="bank-suspensions-heading">
      <h2 id="bank-suspensions-heading">
        Bank suspensions <span lang="ja">（銀行の停止）</span>
      </h2>
      <form class="inline-form" noValidate onSubmit={show}>
        <div class="field">
          <label for="bank-code">
            Bank code<span lang="ja">（銀行コード）</span>
          </label>
          <input
            id="bank-code"
            ref={codeInput}
            inputMode="numeric"
            maxLength={4}
            spellcheck={false}
            value={code}
            aria-invalid={codeError !== null ? true : undefined}
            aria-describedby={codeError !== null ? 'bank-code-error' : undefined}
            onInput={(event) => setCode(event.currentTarget.value)}
          />
        </div>
        <button type="submit" disabled={busy}>
          Show bank<span lang="ja">（表示）</span>
        </button>
      </form>
      {codeError !== null && (
        <p id="bank-code-error" class="error" role="alert">
          {codeError}
        </p>
      )}
      {problem !== null && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      <div role="status">{outcome !== null && <p class="notice">{outcome}</p>}</div>
      {bank !== null && (
        <div class="bank" data-testid="bank">
          <h3 id="bank-heading" ref={heading} tabIndex={-1}>
            {bank.bankCode} {bank.name}
          </h3>
          <p class="suspension" data-testid="bank-suspension">
            {bank.suspension.suspended ? (
              <>
                <strong class="status">suspended</strong>（停止中）
                {bank.suspension.since !== undefined && (
                  <>
                    {' '}
                    since <Instant iso={bank.suspension.since} />
                  </>
                )}
                {bank.suspension.reason !== undefined && <>: {bank.suspension.reason}</>}
              </>
            ) : (
              <>
                <strong class="status">not suspended</strong>（稼働中）: new links with this bank may go ahead.
              </>
            )}
          </p>
          {bank.suspension.suspended ? (
            <button type="button" disabled={busy} onClick={() => void lift()}>
              Lift suspension<span lang="ja">（停止を解除）</span>
            </button>
          ) : (
            <form class="inline-form" noValidate onSubmit={suspend}>
              <div class="field">
                <label for="suspension-reason">
                  Suspension reason<span lang="ja">（停止の理由）</span>
                </label>
                <input
                  id="suspension-reason"
                  ref={reasonInput}
                  value={reason}
                  maxLength={500}
                  aria-invalid={reasonError !== null ? true : undefined}
                  aria-describedby={reasonError !== null ? 'suspension-error' : undefined}
                  onInput={(event) => setReason(event.currentTarget.value)}
                />
              </div>
              <button type="submit" disabled={busy}>
                Suspend<span lang="ja">（停止する）</span>
              </button>
            </form>
          )}
          {reasonError !== null && (
            <p id="suspension-error" class="error" role="alert">
              {reasonError}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
