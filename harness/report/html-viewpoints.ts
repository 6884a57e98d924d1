/**
 * The inspection viewpoints of the organisation's 2016 audit (shared/domain/INCIDENTS.md, "What
 * the organisation itself concluded"), in its order: the report groups verdicts under them.
 */
export const VIEWPOINTS: ReadonlyArray<{ id: string; title: string }> = [
  { id: '1', title: 'Boundaries between vendors' },
  { id: '2', title: 'Communication collisions, exclusive control, abnormal processing at specific timings' },
  { id: '3', title: 'Differences between field and test environments' },
  { id: '4', title: 'Project oversight' },
  { id: '5', title: 'Performance in the balance of the whole system' },
  { id: '6', title: 'Over-reliance on past results (reused architecture)' },
  { id: '7', title: 'Tests skipped for lack of environment or time' },
  { id: '8', title: 'Job timing constraints' },
  { id: '9', title: "Reports built from other servers' data" },
  { id: '10', title: 'Provisional operations left after incidents' },
  { id: 'N1', title: 'Performance requirements and results' },
  { id: 'N2', title: 'Log design' },
  { id: 'N3', title: 'Parameter management' },
];
