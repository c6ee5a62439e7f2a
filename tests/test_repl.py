"""A Python without chainrule installed, started in the repository, finds only the chainrule/ folder:
`import chainrule` then says in one line what to run instead of "No module named 'chainrule.engine'"."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_from_a_python_without_chainrule_says_what_to_run():
    # -S: no site-packages, so this Python has no chainrule installed; the repository is its working directory
    result = subprocess.run([sys.executable, "-S", "-c", "import chainrule"], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1
    last = result.stderr.splitlines()[-1]
    assert last == (f"ImportError: this Python ({sys.executable}) found the repository's chainrule/ folder, which is "
                    "not chainrule installed: in the repository run `make repl` (or .venv/bin/python), or pip "
                    "install -e . first")
    assert "ModuleNotFoundError" not in result.stderr and "During handling" not in result.stderr


def test_a_missing_module_inside_chainrule_is_not_mistaken_for_that(tmp_path):
    # the message is for chainrule.engine missing from the folder; any other missing module still says its name
    fake = tmp_path / "chainrule"
    fake.mkdir()
    (fake / "__init__.py").write_text((ROOT / "chainrule" / "__init__.py").read_text(encoding="utf-8"))
    (fake / "engine.py").write_text("import a_module_that_does_not_exist\n")
    result = subprocess.run([sys.executable, "-S", "-c", "import chainrule"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60)
    assert result.stderr.splitlines()[-1] == "ModuleNotFoundError: No module named 'a_module_that_does_not_exist'"


def test_the_readme_says_which_command_starts_the_repl():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make repl" in readme and ".venv/bin/python" in readme
