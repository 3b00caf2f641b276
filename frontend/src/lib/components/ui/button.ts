import { cn } from '$lib/utils/cn';

export type ButtonVariant = 'default' | 'secondary' | 'outline' | 'ghost' | 'destructive' | 'link';
export type ButtonSize = 'default' | 'sm' | 'lg' | 'icon';

const base =
	'inline-flex shrink-0 items-center justify-center gap-2 whitespace-nowrap rounded-lg text-sm font-medium ' +
	'transition-[color,background-color,border-color,box-shadow,opacity] outline-none select-none ' +
	'focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none ' +
	'disabled:pointer-events-none disabled:opacity-50 aria-disabled:pointer-events-none aria-disabled:opacity-50 ' +
	"[&_svg]:pointer-events-none [&_svg]:shrink-0 [&_svg:not([class*='size-'])]:size-4";

const variants: Record<ButtonVariant, string> = {
	default: 'bg-primary text-primary-foreground shadow-sm hover:bg-primary/90',
	secondary: 'bg-secondary text-secondary-foreground hover:bg-secondary/70',
	outline:
		'border border-border bg-card shadow-xs hover:bg-accent hover:text-accent-foreground dark:bg-input/20 dark:hover:bg-input/40',
	ghost: 'hover:bg-accent hover:text-accent-foreground',
	destructive:
		'bg-destructive text-destructive-foreground shadow-sm hover:bg-destructive/90 focus-visible:ring-destructive/40',
	link: 'text-primary underline-offset-4 hover:underline'
};

const sizes: Record<ButtonSize, string> = {
	default: 'h-10 px-4 py-2',
	sm: 'h-8 rounded-md px-3 text-xs',
	lg: 'h-11 px-6',
	icon: 'size-9'
};

export function buttonClasses(
	variant: ButtonVariant = 'default',
	size: ButtonSize = 'default',
	extra?: string
): string {
	return cn(base, variants[variant], sizes[size], extra);
}
