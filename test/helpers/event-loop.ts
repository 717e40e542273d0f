/**
 * Counts the turns this thread's event loop takes until `stop()`: a task
 * that holds the thread lets it turn once, one that yields lets it turn many
 * times. A count, not a clock, so it holds on a busy machine.
 */
export function countTurns(): { stop(): number } {
  let turns = 0;
  let counting = true;
  const turn = () => {
    turns++;
    if (counting) setImmediate(turn);
  };
  setImmediate(turn);
  return {
    stop() {
      counting = false;
      return turns;
    },
  };
}
