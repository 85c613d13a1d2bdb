#!/usr/bin/env python3
"""Static checks of `make test` (issue #11), run by scripts/test.sh after ruff:

1. **semgrep** with Frappe's own semgrep rules, taken from the installed Frappe app at test time
   (``apps/frappe/.github/helper/semgrep_rules``; Frappe 14+ moved them out of its tree, so where the
   folder is absent they are read from the installed Frappe's git history, the last commit that had
   them). They are never copied into this repository.
2. **pip-audit** of the app's own dependencies (``install_requires`` and the ``test`` extra of
   setup.py, at the versions installed in the bench env) against the PyPI vulnerability service.
   Without network access it fails loudly and says so; it never skips silently.

Accepted findings, each with its reason, are listed in ``security-accepted.txt`` (see
SECURITY-FINDINGS.md); anything else fails the run.
"""

import argparse
import fnmatch
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

APP_DIR = Path(__file__).resolve().parent.parent
ACCEPTED = APP_DIR / "security-accepted.txt"
RULES_IN_TREE = Path(".github/helper/semgrep_rules")
# JavaScript of the web forms is a Jinja template ({{ ... }}), which semgrep cannot parse
SEMGREP_EXCLUDE = ["whistle_app/whistle/web_form/*/*.js", "__pycache__"]
NETWORK_ERRORS = re.compile(
	r"ConnectionError|Max retries exceeded|Name or service not known|Temporary failure in name resolution|"
	r"timed out|NewConnectionError|Network is unreachable|SSLError",
	re.I,
)


def fail(message: str) -> None:
	print(f"\033[1;31m[whistle] ERROR:\033[0m {message}", file=sys.stderr)
	sys.exit(1)


def accepted() -> tuple[list[tuple[str, str]], list[str]]:
	"""(semgrep rule, path glob) pairs and pip-audit vulnerability ids, each line with a reason."""
	rules, vulns = [], []
	for number, line in enumerate(ACCEPTED.read_text().splitlines(), 1):
		line = line.strip()
		if not line or line.startswith("#"):
			continue
		entry, _hash, reason = line.partition("#")
		if not reason.strip():
			fail(f"{ACCEPTED.name}:{number}: every accepted finding needs a reason after '#'")
		kind, *args = entry.split()
		if kind == "semgrep" and len(args) == 2:
			rules.append((args[0], args[1]))
		elif kind == "pip-audit" and len(args) == 1:
			vulns.append(args[0])
		else:
			fail(
				f"{ACCEPTED.name}:{number}: expected 'semgrep RULE PATH-GLOB # reason' or 'pip-audit ID # reason'"
			)
	return rules, vulns


def semgrep_rules(bench: Path, workdir: Path) -> Path:
	frappe_dir = bench / "apps" / "frappe"
	if (frappe_dir / RULES_IN_TREE).is_dir():
		return frappe_dir / RULES_IN_TREE
	git = ["git", "-C", str(frappe_dir)]
	removed = subprocess.run(
		[*git, "log", "-1", "--format=%H", "--diff-filter=D", "--", f"{RULES_IN_TREE}/security.yml"],
		capture_output=True,
		text=True,
		check=False,
	).stdout.strip()
	if not removed:
		fail(
			f"Frappe's semgrep rules are neither in {frappe_dir / RULES_IN_TREE} nor in the installed "
			"Frappe's git history (a shallow clone?); install Frappe from a full clone to run the checks"
		)
	archive = subprocess.run(
		[*git, "archive", f"{removed}^", str(RULES_IN_TREE)], capture_output=True, check=True
	)
	subprocess.run(["tar", "-x", "-C", str(workdir)], input=archive.stdout, check=True)
	return workdir / RULES_IN_TREE


def run_semgrep(bench: Path, accepted_rules: list[tuple[str, str]]) -> None:
	semgrep = shutil.which("semgrep", path=str(bench / "env" / "bin"))
	if not semgrep:
		fail("semgrep is not installed in the bench env (pip install -e '.[test]')")
	with tempfile.TemporaryDirectory() as workdir:
		rules = semgrep_rules(bench, Path(workdir))
		command = [
			semgrep,
			"scan",
			"--config",
			str(rules),
			"--metrics=off",
			"--disable-version-check",
			"--json",
		]
		for pattern in SEMGREP_EXCLUDE:
			command += ["--exclude", pattern]
		result = subprocess.run(
			[*command, "whistle_app"],
			cwd=APP_DIR,
			capture_output=True,
			text=True,
			check=False,
			env={**os.environ, "SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"},
		)
	try:
		report = json.loads(result.stdout)
	except json.JSONDecodeError:
		fail(f"semgrep did not run (exit {result.returncode}):\n{result.stderr[-3000:]}")
	new, known = [], 0
	for finding in report["results"]:
		rule = finding["check_id"].rsplit(".", 1)[-1]
		path = finding["path"]
		if any(rule == r and fnmatch.fnmatch(path, glob) for r, glob in accepted_rules):
			known += 1
			continue
		new.append(f"{path}:{finding['start']['line']}: {rule}: {finding['extra']['lines'].strip()[:120]}")
	errors = [e.get("message", "")[:300] for e in report.get("errors", []) if e.get("level") == "error"]
	print(f"semgrep ({rules.name}): {len(report['results'])} findings, {known} accepted, {len(new)} new")
	if errors:
		fail("semgrep errors:\n" + "\n".join(errors))
	if new:
		fail(
			"semgrep findings (fix them, or accept each with a reason in security-accepted.txt):\n"
			+ "\n".join(new)
		)


def app_requirements() -> list[str]:
	"""``name==installed version`` of every requirement in setup.py (``install_requires`` and the
	``test`` extra), read from the file itself so that it is the checkout's list."""
	import ast

	tree = ast.parse((APP_DIR / "setup.py").read_text())
	call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "setup")
	keywords = {k.arg: k.value for k in call.keywords}
	requirements = list(ast.literal_eval(keywords["install_requires"]))
	requirements += ast.literal_eval(keywords["extras_require"]).get("test", [])
	pins = []
	for requirement in requirements:
		name = re.split(r"[\s;<>=!~\[]", requirement, maxsplit=1)[0]
		try:
			pins.append(f"{name}=={importlib.metadata.version(name)}")
		except importlib.metadata.PackageNotFoundError:
			fail(f"{name}, a requirement of whistle_app (setup.py), is not installed in the bench env")
	return sorted(set(pins))


SYSTEM_CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")


def trust_store_env() -> dict[str, str]:
	"""The environment with the operating system's CA certificates for ``requests`` (as ``uv`` uses
	them through UV_NATIVE_TLS): behind a TLS-inspecting proxy, certifi's own bundle fails."""
	env = dict(os.environ)
	if SYSTEM_CA_BUNDLE.is_file():
		env.setdefault("REQUESTS_CA_BUNDLE", str(SYSTEM_CA_BUNDLE))
		env.setdefault("SSL_CERT_FILE", str(SYSTEM_CA_BUNDLE))
	return env


def run_pip_audit(bench: Path, accepted_vulns: list[str]) -> None:
	pip_audit = shutil.which("pip-audit", path=str(bench / "env" / "bin"))
	if not pip_audit:
		fail("pip-audit is not installed in the bench env (pip install -e '.[test]')")
	with tempfile.NamedTemporaryFile("w", suffix=".txt") as requirements:
		requirements.write("\n".join(app_requirements()) + "\n")
		requirements.flush()
		command = [
			pip_audit,
			"--requirement",
			requirements.name,
			"--no-deps",
			"--disable-pip",
			"--vulnerability-service",
			"pypi",
			"--progress-spinner",
			"off",
			"--format",
			"json",
		]
		for vuln in accepted_vulns:
			command += ["--ignore-vuln", vuln]
		result = subprocess.run(
			command, capture_output=True, text=True, check=False, timeout=600, env=trust_store_env()
		)
	if NETWORK_ERRORS.search(result.stderr):
		fail(
			"pip-audit could not reach the PyPI vulnerability service, so the app's dependencies were NOT "
			"audited. The static checks need network access to PyPI; run `make test` where it is available.\n"
			+ result.stderr[-1500:]
		)
	try:
		report = json.loads(result.stdout)
	except json.JSONDecodeError:
		fail(f"pip-audit did not run (exit {result.returncode}):\n{result.stderr[-3000:]}")
	found = [
		f"{dep['name']} {dep['version']}: {vuln['id']} (fixed in {', '.join(vuln.get('fix_versions') or ['-'])})"
		for dep in report.get("dependencies", [])
		for vuln in dep.get("vulns", [])
	]
	audited = len(report.get("dependencies", []))
	print(f"pip-audit: {audited} dependencies of whistle_app audited, {len(found)} known vulnerabilities")
	if found or result.returncode not in (0,):
		fail(
			"pip-audit findings (upgrade, or accept each with a reason in security-accepted.txt):\n"
			+ "\n".join(found or [result.stderr[-2000:]])
		)


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--bench", type=Path, required=True)
	args = parser.parse_args()
	rules, vulns = accepted()
	run_semgrep(args.bench, rules)
	run_pip_audit(args.bench, vulns)


if __name__ == "__main__":
	main()
