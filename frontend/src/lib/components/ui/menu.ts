/** Classes shared by the dropdown menus (bits-ui DropdownMenu). */
export const menuContentClass =
	'bg-popover text-popover-foreground data-[state=open]:animate-fade-in z-50 min-w-44 rounded-xl border p-1 shadow-lg outline-none';
export const menuItemClass =
	'data-highlighted:bg-accent flex cursor-pointer items-center gap-2 rounded-md px-2.5 py-2 text-sm outline-none select-none [&_svg]:size-4 [&_svg]:text-muted-foreground';
