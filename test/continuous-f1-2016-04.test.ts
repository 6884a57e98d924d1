// The continuous suite's F1 judge on reference@2016-04: pass (test/helpers/continuous-f1.ts says how).
import t from 'tap';
import { proveContinuousF1 } from './helpers/continuous-f1.ts';

proveContinuousF1(t, '2016-04', 'pass');
