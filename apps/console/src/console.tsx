import { useCallback, useState } from 'preact/hooks';
import type { Session } from './investigator-api';
import { OperatorWorkspace } from './operator-workspace';
import { SignIn } from './sign-in';
import { Workspace } from './workspace';

/**
 * The page: sign-in until a token is held (in memory, for this tab only), then an investigator searches and reads,
 * an operator lifts actor blocks and suspends banks.
 */
export function Console() {
  const [session, setSession] = useState<Session | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const end = useCallback((why: string | null) => {
    setSession(null);
    setNotice(why);
  }, []);
  const sessionEnded = useCallback((why: string) => end(why), [end]);

  return (
    <>
      <header class="masthead">
        <h1>
          kouza-link investigator console <span lang="ja">（口座連携 調査コンソール）</span>
        </h1>
        {session && (
          <div class="who">
            {session.role === 'investigator' ? (
              <p>
                Signed in as <strong>{session.clientId}</strong> for case <strong>{session.caseId}</strong>; every read
                is recorded.
              </p>
            ) : (
              <p>
                Signed in as <strong>{session.clientId}</strong>, operator; every change is recorded with this client.
              </p>
            )}
            <button type="button" class="secondary" onClick={() => end('Signed out.（サインアウトしました）')}>
              Sign out<span lang="ja">（サインアウト）</span>
            </button>
          </div>
        )}
      </header>
      <main>
        {session?.role === 'investigator' ? (
          <Workspace session={session} onSessionEnded={sessionEnded} />
        ) : session?.role === 'operator' ? (
          <OperatorWorkspace session={session} onSessionEnded={sessionEnded} />
        ) : (
          <SignIn
            notice={notice}
            onSignedIn={(signedIn) => {
              setNotice(null);
              setSession(signedIn);
            }}
          />
        )}
      </main>
    </>
  );
}
