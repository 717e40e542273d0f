/** An answer of the app to a delivery hooks sent it: a forward, or a replay. */
export interface AppAnswer {
  status: number;
  /** Where it was sent. */
  target: string;
  provider: string | null;
  /**
   * Why its signature should have passed: hooks listen verified it as it
   * came (and it went on unchanged), or hooks signed it again; null when
   * neither (a refusal then says nothing about the app).
   */
  signed: 'verified' | 'resigned' | null;
}

/** What an app's answer likely means: the finding (drawn as a warning) and what to do about it. */
export interface AppAnswerHint {
  finding: string;
  advice: string;
}

const LOCAL_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * What an app's refusal of a delivery hooks sent it likely means, in every
 * face (listen's log, a replay's line, the inspector): a 401/403 for a
 * delivery whose signature holds is a secret or raw-body mistake in the app
 * (`hooks audit` finds which); a 404 is the path. `targetFlag` is how the
 * face sets a target (`--forward`, `--to`); null where it is a field.
 */
export function appAnswerHint(answer: AppAnswer, targetFlag: string | null): AppAnswerHint | null {
  const target = new URL(answer.target);
  if ((answer.status === 401 || answer.status === 403) && answer.signed) {
    const whose = answer.signed === 'verified' ? "this session's" : 'the one hooks signed it with';
    return {
      finding: answer.signed === 'verified' ? 'your app refused a delivery hooks listen verified' : 'your app refused a delivery hooks signed',
      advice: `likely its secret differs from ${whose}, or it verifies a re-serialized body instead of the raw bytes; hooks audit ${answer.target} --provider ${answer.provider ?? 'P'} --secret … finds which`,
    };
  }
  if (answer.status === 404) {
    const host = LOCAL_HOSTS.includes(target.hostname) ? `localhost:${target.port || (target.protocol === 'https:' ? 443 : 80)}` : target.host;
    return { finding: `nothing at ${target.pathname} on your app`, advice: `is the path right? the path goes in the target, e.g. ${targetFlag ? `${targetFlag} ` : ''}${host}/webhooks` };
  }
  return null;
}
