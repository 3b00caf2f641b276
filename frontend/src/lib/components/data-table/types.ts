export type DataTableColumn = {
	/** The API's sort key (camelCase field name), also the column's identity. */
	key: string;
	label: string;
	sortable?: boolean;
	class?: string;
	/** The header text is only read by screen readers (e.g. an actions column). */
	srOnly?: boolean;
};
