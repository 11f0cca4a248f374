import type { AllStreamSubscription } from '@eventstore/db-client';

/** What the client's subscription stream has signalled since it was last looked at. */
export interface SubscriptionSignals {
  readonly ended: boolean;
  readonly failure: Error | undefined;
  /** True once per `caughtUp` the server sent, unless it fell behind again since. */
  takeCaughtUp(): boolean;
  /** Resolves on the next signal, or at once when one arrived since the last call. */
  next(): Promise<void>;
  /** Resolves a pending `next()` without a signal: how `stop()` interrupts the wait. */
  wake(): void;
  dispose(): void;
}

function ignore(): void {}

/** Listens to a subscription read in paused mode (`read()`), as Emmett's ESDB message source does. */
export function observeSubscription(subscription: AllStreamSubscription): SubscriptionSignals {
  let ended = false;
  let failure: Error | undefined;
  let caughtUp = false;
  let pending = false;
  let waiter: (() => void) | undefined;

  const notify = () => {
    if (waiter) {
      const resolve = waiter;
      waiter = undefined;
      resolve();
    } else {
      pending = true;
    }
  };
  const onReadable = () => notify();
  const onCaughtUp = () => {
    caughtUp = true;
    notify();
  };
  const onFellBehind = () => {
    caughtUp = false;
    notify();
  };
  const onEnd = () => {
    ended = true;
    notify();
  };
  const onError = (error: Error) => {
    failure = error;
    notify();
  };

  subscription.on('readable', onReadable);
  subscription.on('caughtUp', onCaughtUp);
  subscription.on('fellBehind', onFellBehind);
  subscription.on('end', onEnd);
  subscription.on('close', onEnd);
  subscription.on('error', onError);

  return {
    get ended() {
      return ended;
    },
    get failure() {
      return failure;
    },
    takeCaughtUp() {
      const was = caughtUp;
      caughtUp = false;
      return was;
    },
    next() {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        waiter = resolve;
      });
    },
    wake: notify,
    dispose() {
      subscription.off('readable', onReadable);
      subscription.off('caughtUp', onCaughtUp);
      subscription.off('fellBehind', onFellBehind);
      subscription.off('end', onEnd);
      subscription.off('close', onEnd);
      subscription.off('error', onError);
      // A late error (say, the connection failing while it is torn down) must not become an unhandled 'error'.
      subscription.on('error', ignore);
      notify();
    },
  };
}
