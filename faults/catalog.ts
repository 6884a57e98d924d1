/**
 * Every documented fault (shared/domain/INCIDENTS.md, F1-F17) and the one added check a suite
 * judges (N1), with the title and inspection viewpoints the reports use. The fault modules and
 * the suites take theirs from here.
 */
export interface CatalogEntry {
  id: string;
  title: string;
  /** Inspection viewpoints of the 2016 audit: 1-10, N1-N3. */
  viewpoints: readonly string[];
}

const ENTRIES: readonly CatalogEntry[] = [
  { id: 'F1', title: 'Hardware-monitor interrupt collision', viewpoints: ['1', '2', '3', '6', '7'] },
  { id: 'F2', title: 'Timeout-versus-reset race frees unallocated memory', viewpoints: ['2', '5', '6'] },
  { id: 'F3', title: 'Connection overflow and the CS one-minute block', viewpoints: ['2', '5', '6', 'N1'] },
  { id: 'F4', title: 'Search timeout also triggers the one-minute block', viewpoints: ['2', '6'] },
  { id: 'F5', title: 'Accumulating thread names slow the card server', viewpoints: ['5', '7', 'N1'] },
  { id: 'F6', title: 'Card server memory too small for the traffic', viewpoints: ['5', 'N1', 'N3'] },
  { id: 'F7', title: 'IC chip and card server disagree', viewpoints: ['2', '5'] },
  { id: 'F8', title: 'Restart while the IC is being written breaks the card', viewpoints: ['2', '10'] },
  { id: 'F9', title: 'False success: "finished" without the data', viewpoints: ['4', '9'] },
  { id: 'F10', title: 'Characters in addresses break certificate changes', viewpoints: ['1', '3'] },
  { id: 'F11', title: 'Vendor boundary: job result misread', viewpoints: ['1', '8'] },
  { id: 'F12', title: 'Failover was never tested', viewpoints: ['3', '7'] },
  { id: 'F13', title: 'Capacity limits never measured', viewpoints: ['4', '5', 'N1'] },
  { id: 'F14', title: 'Logs that cannot be joined', viewpoints: ['7', 'N2'] },
  { id: 'F15', title: 'Parameters that differ from the tested ones', viewpoints: ['3', 'N3'] },
  { id: 'F16', title: 'Duplicate identity codes', viewpoints: ['9'] },
  { id: 'F17', title: 'PINs handled by staff during outages', viewpoints: ['10'] },
  { id: 'N1', title: 'Capacity against the peak demand (performance requirements and results)', viewpoints: ['5', 'N1'] },
];

export const CATALOG: ReadonlyMap<string, CatalogEntry> = new Map(ENTRIES.map((entry) => [entry.id, entry]));

/** A catalog entry's title and viewpoints, for a fault module or a suite result. */
export function catalogEntry(id: string): { title: string; viewpoints: string[] } {
  const entry = CATALOG.get(id);
  if (!entry) throw new Error(`${id} is not in the fault catalog`);
  return { title: entry.title, viewpoints: [...entry.viewpoints] };
}
