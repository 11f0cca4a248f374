/** An event as the domain emits it; the application adds its id and metadata when it appends it. */
export type DomainEvent<Type extends string, Data> = Readonly<{ type: Type; data: Readonly<Data> }>;

/** A command as a decider receives it: time (`now`) and ids come in with the data, never from inside. */
export type DomainCommand<Type extends string, Data> = Readonly<{ type: Type; data: Readonly<Data> }>;
