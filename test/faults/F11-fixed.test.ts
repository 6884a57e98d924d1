// F11 proven from the September 2016 fix: a pass on every seed on reference@2016-09 (the finding
// side, before it, is F11.test.ts; fixed passes too: the level table and bench/detect.md).
import t from 'tap';
import { proveSide, TWO_SEEDS } from '../helpers/mean-runs.ts';

proveSide(t, 'F11', '2016-09', 'pass', undefined, TWO_SEEDS);
