"""Every ```python block of README.md and docs/*.md runs as written, from a folder that holds
examples/ (docs_examples_test.cpp leaves these blocks to this test)."""

import glob
import os
import re
import tempfile
import unittest

from support import SOURCE_DIR


def python_blocks():
    files = [os.path.join(SOURCE_DIR, "README.md")]
    files += sorted(glob.glob(os.path.join(SOURCE_DIR, "docs", "*.md")))
    for path in files:
        with open(path) as f:
            text = f.read()
        for found in re.finditer(r"^```python\n(.*?)^```", text, re.MULTILINE | re.DOTALL):
            line = text.count("\n", 0, found.start()) + 1
            yield f"{os.path.relpath(path, SOURCE_DIR)}:{line}", found.group(1)


class docs_test(unittest.TestCase):
    def test_the_python_examples_run(self):
        blocks = list(python_blocks())
        self.assertTrue(any(name.startswith("docs/python.md:") for name, _ in blocks))
        before = os.getcwd()
        for name, code in blocks:
            with self.subTest(block=name), tempfile.TemporaryDirectory() as folder:
                os.symlink(os.path.join(SOURCE_DIR, "examples"), os.path.join(folder, "examples"))
                os.chdir(folder)
                try:
                    exec(compile(code, name, "exec"), {})
                finally:
                    os.chdir(before)


if __name__ == "__main__":
    unittest.main()
