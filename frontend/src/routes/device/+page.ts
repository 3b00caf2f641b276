import type { PageLoad } from './$types';

// `verification_uri_complete` carries the user code (protocol.md §1.14); without it the page asks for the code.
export const load: PageLoad = ({ url }) => ({ code: url.searchParams.get('user_code') ?? '' });
