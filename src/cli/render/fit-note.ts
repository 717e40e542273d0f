/** `clerk user.created lacks data.banned; lacks data.locked`: a delivery's fit notes as listen, events show and trigger say them. */
export function fitNote(d: { provider: string | null; event_type: string | null; notes: readonly string[] }): string {
  return `${d.provider ?? '?'} ${d.event_type ?? '(unknown type)'} ${d.notes.join('; ')}`;
}
