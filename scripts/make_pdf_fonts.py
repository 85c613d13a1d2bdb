"""Derive the PDF fonts of the print formats from Debian's Noto CJK (fonts-noto-cjk).

wkhtmltopdf on an unpatched Qt writes each glyph's ToUnicode entry as the lowest code point the
font maps to it. Noto CJK maps the Kangxi radicals (U+2F00-2FDF) and the CJK radicals supplement
(U+2E80-2EFF) to the same glyphs as the ideographs, so 高, 工, 人, 日, 门, 见 ... would come out of the
PDF's text (copy, search, pypdf) as ⾼, ⼯, ⼈, ⽇, ⻔, ⻅; and digits right after Latin letters get
glyphs from a 'locl' feature that no code point maps to, so they vanish from the text. These
copies drop those radical code points and that default 'locl' and are renamed "Whistle Serif SC"
(SIL OFL 1.1 allows modified copies under another name). Only the cmap, GSUB and name tables
change; glyphs are copied as they are (~4 s a face).

Usage: python make_pdf_fonts.py [TARGET_DIR]   (default /usr/local/share/fonts/whistle), then fc-cache.
"""

import sys
from pathlib import Path

from fontTools.ttLib import TTFont

NOTO = Path("/usr/share/fonts/opentype/noto")
RADICALS = range(0x2E80, 0x2FE0)
FACES = [  # (source collection, face family in it, new family, style)
	("NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC", "Whistle Serif SC", "Regular"),
	("NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC", "Whistle Serif SC", "Bold"),
]


def face_index(path: Path, family: str) -> int:
	for i in range(16):
		font = TTFont(path, fontNumber=i, lazy=True)
		if font["name"].getDebugName(1) == family:
			return i
	raise LookupError(f"{family} not in {path}")


def derive(source: Path, family: str, new_family: str, style: str, target: Path) -> Path:
	font = TTFont(
		source,
		fontNumber=face_index(source, family),
		lazy=True,
		recalcBBoxes=False,
		recalcTimestamp=False,
	)
	for table in font["cmap"].tables:
		for cp in [cp for cp in table.cmap if cp in RADICALS]:
			del table.cmap[cp]
	# The default language system of latn/grek/cyrl has a 'locl' that swaps 0-9 for glyphs that are
	# in no cmap, so digits after Latin letters ("CS-2026-00001") had no ToUnicode and vanished
	# from the text. Without it they use the same glyphs as next to Chinese text.
	gsub = font["GSUB"].table
	for script in gsub.ScriptList.ScriptRecord:
		langsys = script.Script.DefaultLangSys
		if langsys:
			langsys.FeatureIndex = [
				i for i in langsys.FeatureIndex if gsub.FeatureList.FeatureRecord[i].FeatureTag != "locl"
			]
			langsys.FeatureCount = len(langsys.FeatureIndex)
	ps_name = f"{new_family.replace(' ', '')}-{style}"
	names = {
		1: new_family,
		2: style,
		3: f"{ps_name};derived",
		4: f"{new_family} {style}",
		6: ps_name,
		16: new_family,
		17: style,
	}
	name = font["name"]
	for record in list(name.names):
		if record.nameID in names:
			record.string = names[record.nameID]
	out = target / f"{ps_name}.otf"
	font.save(out)
	return out


def main(target: Path) -> None:
	target.mkdir(parents=True, exist_ok=True)
	for source, family, new_family, style in FACES:
		out = derive(NOTO / source, family, new_family, style, target)
		print(out)


if __name__ == "__main__":
	main(Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/local/share/fonts/whistle"))
