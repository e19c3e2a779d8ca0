// State a session keeps for features that live as long as its cookies: OAuth tokens, script
// globals. Each feature declares a typed slot once; the session makes the slot's value on first use
// and forgets it when it closes, so nothing is written into the user's files.

/** A kind of per-session state, declared once by the feature that owns it. */
export interface SessionSlot<T> {
  /** For messages and the Sessions view. */
  readonly name: string;
  /** The state of a session that has none yet. */
  create(): T;
}

/** The slots of one session. */
export class SessionState {
  private readonly values = new Map<SessionSlot<unknown>, unknown>();

  /** The session's value of `slot`, made on first use. */
  get<T>(slot: SessionSlot<T>): T {
    if (this.values.has(slot)) return this.values.get(slot) as T;
    const value = slot.create();
    this.values.set(slot, value);
    return value;
  }

  /** Names of the slots in use, for the Sessions view. */
  names(): string[] {
    return [...this.values.keys()].map((slot) => slot.name);
  }

  /** Forgets every slot's value (the session is closed or the user cleared it). */
  clear(): void {
    this.values.clear();
  }
}
