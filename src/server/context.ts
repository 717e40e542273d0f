import type { Dispatcher as HttpDispatcher } from 'undici';
import type { DeliveryDispatcher } from './delivery/dispatcher.js';
import type { ServerEvent } from './events.js';
import type { HookRegistrations } from './hooks/registrations.js';
import type { Store } from './store.js';

export interface ServerSettings {
  defaultProvider: string;
  strictUrls: boolean;
  timeScale: number;
  /** How long a rotated-out secret keeps signing beside the new one (standard, stripe). */
  rotationGraceMs: number;
}

/** What every route handler works with. */
export interface ServerContext {
  store: Store;
  dispatcher: DeliveryDispatcher;
  http: HttpDispatcher;
  settings: ServerSettings;
  emit: (event: ServerEvent) => void;
  /** Synchronous hook registrations and their runs (in memory). */
  hooks: HookRegistrations;
}
