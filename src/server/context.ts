import type { Dispatcher as HttpDispatcher } from 'undici';
import type { ServerEvent } from './events.js';
import type { PlatformService } from './service.js';
import type { PlatformStore } from './store/platform-store.js';

export interface ServerSettings {
  defaultProvider: string;
  strictUrls: boolean;
  timeScale: number;
  /** How long a rotated-out secret keeps signing beside the new one (standard, stripe). */
  rotationGraceMs: number;
}

/** What every route handler works with. */
export interface ServerContext {
  store: PlatformStore;
  service: PlatformService;
  http: HttpDispatcher;
  settings: ServerSettings;
  emit: (event: ServerEvent) => void;
}
