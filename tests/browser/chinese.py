"""What a person sees on a page, and the Latin-alphabet words in it (issue #20: Chinese everywhere).

One allowlist for every browser test that checks a page is Chinese; each entry says why it may show."""

import re

LATIN = re.compile(r"[A-Za-z]{2,}")

ALLOWED_LATIN = {
	# document numbers: 吹哨 CS-2026-00001, ratings PJ-, demands QE-, enterprises AE-, Snail Awards SA-
	"CS",
	"PJ",
	"QE",
	"AE",
	"SA",
	# file sizes and printed documents (导出 PDF)
	"MB",
	"KB",
	"PDF",
	# the keyboard's key as printed on it: the desk's search box 搜索或输入命令（Ctrl + G）
	"Ctrl",
}

# What a person sees: the text of every rendered text node whose element is shown (not hidden, not
# transparent, not screen-reader-only, not the desk's field-name tooltips that only a developer's
# Ctrl key reveals), and the placeholder and title (the hover text) of the visible controls, one
# line each.
VISIBLE_TEXT = """() => {
	const HIDDEN = ".sr-only, .visually-hidden, .tooltip-content";
	const shown = new Map();
	const isShown = (el) => {
		if (!el || el === document.documentElement) return true;
		if (shown.has(el)) return shown.get(el);
		const style = getComputedStyle(el);
		const result =
			style.display !== "none" &&
			style.visibility !== "hidden" &&
			style.opacity !== "0" &&
			!el.matches(HIDDEN) &&
			isShown(el.parentElement);
		shown.set(el, result);
		return result;
	};
	const parts = [];
	const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let node = walker.nextNode(); node; node = walker.nextNode()) {
		const el = node.parentElement;
		const text = node.textContent.trim();
		if (text && el && !["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT"].includes(el.tagName) &&
			el.getClientRects().length && isShown(el)) {
			parts.push(text);
		}
	}
	document.querySelectorAll("input, textarea, select, button, a").forEach((el) => {
		if (!el.getClientRects().length || !isShown(el)) return;
		for (const attr of ["placeholder", "title"]) {
			const value = el.getAttribute(attr);
			if (value) parts.push(value);
		}
	});
	return parts.join("\\n");
}"""

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# document numbers: a capital prefix and the year, then the number (CS-2026-00001, DCTB-2026-11,
# YD-2026-00002, DD-2026-001, SV-2026-Q3)
DOCUMENT_NUMBER = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2,5}-\d{4}(?:-\w+)*")
FILE_NAME = re.compile(r"[\w.-]+\.(png|jpe?g|pdf|docx?|xlsx?)\b", re.IGNORECASE)


def visible_text(page) -> str:
	return page.evaluate(VISIBLE_TEXT)


def latin_words(text: str, allowed: set[str] = frozenset()) -> set[str]:
	"""The Latin words of ``text`` outside the allowlist: e-mail addresses (the demo users' logins),
	file names (attachments keep the name they were uploaded with) and document numbers are left
	aside."""
	text = DOCUMENT_NUMBER.sub(" ", FILE_NAME.sub(" ", EMAIL.sub(" ", text)))
	return set(LATIN.findall(text)) - ALLOWED_LATIN - set(allowed)


def assert_chinese(text: str, where: str, allowed: set[str] = frozenset()) -> None:
	words = latin_words(text, allowed)
	assert not words, f"English in {where}: {sorted(words)}"
