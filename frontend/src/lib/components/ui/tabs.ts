/** Classes of the underlined tab bar (bits-ui Tabs). */
export const tabsListClass = 'text-muted-foreground flex min-w-max items-center gap-1 border-b';
export const tabsTriggerClass =
	'-mb-px inline-flex items-center gap-1.5 border-b-2 border-transparent px-3 py-2 text-sm font-medium whitespace-nowrap transition-colors outline-none ' +
	'hover:text-foreground focus-visible:ring-ring/50 focus-visible:rounded-md focus-visible:ring-[3px] ' +
	'data-[state=active]:border-primary data-[state=active]:text-foreground';
