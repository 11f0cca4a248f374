import { useRef, useState } from 'preact/hooks';
import { ApiProblem, type Role, type Session, signIn, signInAsOperator } from './investigator-api';

type Field = 'clientId' | 'clientSecret' | 'caseId';

/**
 * Investigator or operator, then Client ID, Client secret and, for an investigator, Case (API.md): the case is sent
 * with every read, so none is made without one. An operator names no case: the admin API takes none.
 */
export function SignIn({ onSignedIn, notice }: { onSignedIn: (session: Session) => void; notice: string | null }) {
  const [role, setRole] = useState<Role>('investigator');
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [caseId, setCaseId] = useState('');
  const [error, setError] = useState<{ field?: Field; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const inputs = {
    clientId: useRef<HTMLInputElement>(null),
    clientSecret: useRef<HTMLInputElement>(null),
    caseId: useRef<HTMLInputElement>(null),
  };

  const refuse = (field: Field, message: string) => {
    setError({ field, message });
    inputs[field].current?.focus();
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (clientId.trim() === '') return refuse('clientId', 'Client ID is required.（クライアントIDを入力してください）');
    if (clientSecret === '')
      return refuse('clientSecret', 'Client secret is required.（シークレットを入力してください）');
    if (role === 'investigator' && caseId.trim() === '') {
      return refuse(
        'caseId',
        'Case is required: every read is recorded against the investigation case it is for.（事案番号を入力してください）',
      );
    }
    setBusy(true);
    setError(null);
    try {
      onSignedIn(
        role === 'investigator'
          ? await signIn(clientId.trim(), clientSecret, caseId.trim())
          : await signInAsOperator(clientId.trim(), clientSecret),
      );
    } catch (problem) {
      const message =
        problem instanceof ApiProblem
          ? `Sign-in refused: ${problem.message} (${problem.code}).（サインインできませんでした）`
          : 'Sign-in failed.（サインインできませんでした）';
      setError({ message });
      setBusy(false);
    }
  };

  const invalid = (field: Field) => (error?.field === field ? true : undefined);
  const describedBy = (field: Field, hint?: string) =>
    [hint, error?.field === field ? 'sign-in-error' : undefined].filter(Boolean).join(' ') || undefined;

  return (
    <section class="panel sign-in" aria-labelledby="sign-in-heading">
      <h2 id="sign-in-heading">
        {role === 'investigator' ? (
          <>
            Investigator sign-in <span lang="ja">（調査担当者のサインイン）</span>
          </>
        ) : (
          <>
            Operator sign-in <span lang="ja">（運用担当者のサインイン）</span>
          </>
        )}
      </h2>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <form noValidate onSubmit={submit}>
        <fieldset class="role">
          <legend>
            Signing in as<span lang="ja">（役割）</span>
          </legend>
          <div class="choice">
            <input
              id="role-investigator"
              type="radio"
              name="role"
              value="investigator"
              checked={role === 'investigator'}
              onChange={() => setRole('investigator')}
            />
            <label for="role-investigator">
              Investigator<span lang="ja">（調査担当者）</span>
            </label>
          </div>
          <div class="choice">
            <input
              id="role-operator"
              type="radio"
              name="role"
              value="operator"
              checked={role === 'operator'}
              onChange={() => {
                setRole('operator');
                if (error?.field === 'caseId') setError(null);
              }}
            />
            <label for="role-operator">
              Operator<span lang="ja">（運用担当者）</span>
            </label>
          </div>
        </fieldset>
        <div class="field">
          <label for="client-id">
            Client ID<span lang="ja">（クライアントID）</span>
          </label>
          <input
            id="client-id"
            ref={inputs.clientId}
            name="client_id"
            autocomplete="username"
            spellcheck={false}
            value={clientId}
            aria-invalid={invalid('clientId')}
            aria-describedby={describedBy('clientId')}
            onInput={(event) => setClientId(event.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="client-secret">
            Client secret<span lang="ja">（クライアントシークレット）</span>
          </label>
          <input
            id="client-secret"
            ref={inputs.clientSecret}
            name="client_secret"
            type="password"
            autocomplete="current-password"
            value={clientSecret}
            aria-invalid={invalid('clientSecret')}
            aria-describedby={describedBy('clientSecret')}
            onInput={(event) => setClientSecret(event.currentTarget.value)}
          />
        </div>
        {role === 'investigator' && (
          <div class="field">
            <label for="case-id">
              Case<span lang="ja">（事案番号）</span>
            </label>
            <input
              id="case-id"
              ref={inputs.caseId}
              name="case"
              spellcheck={false}
              value={caseId}
              aria-invalid={invalid('caseId')}
              aria-describedby={describedBy('caseId', 'case-hint')}
              onInput={(event) => setCaseId(event.currentTarget.value)}
            />
            <p id="case-hint" class="hint">
              The investigation case id, sent as X-Investigation-Case with every read and recorded with it.
              <span lang="ja">（すべての照会は事案番号とともに記録されます）</span>
            </p>
          </div>
        )}
        {error && (
          <p id="sign-in-error" class="error" role="alert">
            {error.message}
          </p>
        )}
        <button type="submit" disabled={busy}>
          Sign in<span lang="ja">（サインイン）</span>
        </button>
      </form>
    </section>
  );
}
