from setuptools import find_packages, setup

from whistle_app import __version__ as version

setup(
	name="whistle_app",
	version=version,
	description="园区吹哨、部门报到: whistle-and-report supervision for a district (Frappe v15 app)",
	author="whistle_app developers",
	author_email="dev@whistle.localhost",
	license="MIT",
	packages=find_packages(exclude=["tests", "tests.*"]),
	zip_safe=False,
	include_package_data=True,
	python_requires=">=3.10,<3.13",
	install_requires=[
		# Official Chinese calendar (statutory holidays and adjusted working days).
		"holidays>=0.109",
		# PDF fonts derived from Noto CJK (scripts/make_pdf_fonts.py)
		"fonttools>=4.40",
	],
	extras_require={
		"test": [
			"pytest>=8",
			"pytest-randomly>=3.15",
			"hypothesis>=6.100",
			"playwright>=1.45",
			"pypdf>=3.17",
			"ruff>=0.6",
			"freezegun>=1.2",
			"requests>=2.31",
			# static checks of `make test` (scripts/static_checks.py); installed with the bench env's
			# packages as constraints so that Frappe's own pins never move
			"semgrep>=1.100",
			"pip-audit>=2.7",
		],
	},
)
