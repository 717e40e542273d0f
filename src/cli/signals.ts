import { ExitCode } from '../core/errors.js';

/**
 * Runs until Ctrl-C or SIGTERM, then `stop()`; a second signal while it
 * stops exits at once (130), after `abandon()` has said (synchronously) what
 * that leaves undone. For the long-running commands, listen and server.
 */
export function untilStopped(stop: () => Promise<void>, abandon: () => void = () => undefined): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = () => {
      if (stopping) {
        abandon();
        process.exit(ExitCode.interrupted);
      }
      stopping = true;
      stop().then(resolve, resolve);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
