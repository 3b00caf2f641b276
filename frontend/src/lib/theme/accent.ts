// The accent colour of the application configuration (`accentColor`: "default" or any CSS colour) replaces the
// primary colour; its foreground is chosen black or white by luminance.

/** WCAG relative luminance of an sRGB colour with 0–255 channels. */
export function relativeLuminance(r: number, g: number, b: number): number {
	const lin = (c: number) => {
		const s = c / 255;
		return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
	};
	return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** Parses `rgb(r, g, b)` / `rgba(r, g, b, a)` / `rgb(r g b)` as returned by getComputedStyle. */
export function parseRgb(color: string): [number, number, number] | null {
	const match = color.match(/rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/);
	if (!match) return null;
	return [Number(match[1]), Number(match[2]), Number(match[3])];
}

export function foregroundFor(rgb: [number, number, number] | null): string {
	if (!rgb) return 'oklch(0.98 0 0)';
	return relativeLuminance(...rgb) < 0.55 ? 'oklch(0.98 0 0)' : 'oklch(0.15 0 0)';
}

const PROPS = ['--primary', '--primary-foreground', '--ring'];

export function applyAccentColor(accent: string | undefined) {
	const root = document.documentElement;
	if (!accent || accent === 'default' || !CSS.supports('color', accent)) {
		for (const p of PROPS) root.style.removeProperty(p);
		return;
	}
	const probe = document.createElement('span');
	probe.style.color = accent;
	probe.style.display = 'none';
	document.body.appendChild(probe);
	const computed = getComputedStyle(probe).color;
	probe.remove();

	root.style.setProperty('--primary', accent);
	root.style.setProperty('--primary-foreground', foregroundFor(parseRgb(computed)));
	root.style.setProperty('--ring', `color-mix(in srgb, ${accent} 60%, transparent)`);
}
