/** A listening transport of the receiver. */
export interface BoundServer {
  /** `host:port` actually bound (the real port when the config asked for port 0). */
  readonly endpoint: string;
  /** Stops accepting, lets in-flight requests finish, then resolves. */
  close(): Promise<void>;
}
