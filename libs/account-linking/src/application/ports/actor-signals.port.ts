export const ACTOR_SIGNALS = Symbol('ACTOR_SIGNALS');

/** What an actor's stream says of it, for apps and banks to add their own judgement (like Plaid Signal). */
export interface ActorSignal {
  /** Distinct bank accounts the actor tried (requests its defences let through) since then. */
  accountsTried24h: number;
  accountsTried30d: number;
  /** The actor was blocked at some time (by its own failures or by a fraud rule), lifted or not. */
  everBlocked: boolean;
}

/** The actors' signals, computed from their streams by the `actor-signals` read model. */
export interface ActorSignals {
  /** Per actor stream asked for; one with no attempts yet has zero counts. */
  of(actorStreams: readonly string[], windows: { since24h: Date; since30d: Date }): Promise<Map<string, ActorSignal>>;
}
