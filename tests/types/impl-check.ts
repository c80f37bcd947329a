// The declared element and the implemented one agree: every member planmap.d.ts declares
// exists on www/planmap-element.js's class with a type assignable to the declared one.
import type { PlanMapElement as Declared } from 'planmap';
import type { PlanMapElement as Implemented } from '../../www/planmap-element.js';

declare const implemented: Implemented;
export const asDeclared: Declared = implemented;
