"""The installed `fastgpio` command inside the emulated Pi (what the README's
demo shows), run as a user would: the console script from the wheel."""
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.vpi

pytest.importorskip("fastgpio")


def fastgpio(*args):
    exe = shutil.which("fastgpio")
    cmd = [exe] if exe else ["python3", "-m", "fastgpio"]
    return subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=120)


def test_console_script_installed():
    assert shutil.which("fastgpio"), "the wheel's console script is not on PATH"


def test_info(expected):
    out = fastgpio("info")
    assert out.returncode == 0, out.stderr
    assert expected[0] in out.stdout
    assert "devmem" in out.stdout


def test_readall_lists_header(expected):
    out = fastgpio("readall")
    assert out.returncode == 0, out.stderr
    assert "17" in out.stdout
    assert len(out.stdout.splitlines()) >= 20   # a 40-pin header (or all lines)
