import { clsx, type ClassValue } from 'clsx';

/** Joins class names (strings, arrays, `{ class: condition }` objects). */
export function cn(...inputs: ClassValue[]): string {
	return clsx(inputs);
}
