"""The example of docs/python.md runs as written, from a folder that holds examples/."""

import os
import re
import tempfile
import unittest

from support import SOURCE_DIR


class docs_test(unittest.TestCase):
    def test_the_python_example_runs(self):
        with open(os.path.join(SOURCE_DIR, "docs", "python.md")) as f:
            blocks = re.findall(r"^```python\n(.*?)^```", f.read(), re.MULTILINE | re.DOTALL)
        self.assertEqual(len(blocks), 1)
        before = os.getcwd()
        with tempfile.TemporaryDirectory() as folder:
            os.symlink(os.path.join(SOURCE_DIR, "examples"), os.path.join(folder, "examples"))
            os.chdir(folder)
            try:
                exec(compile(blocks[0], "docs/python.md", "exec"), {})
            finally:
                os.chdir(before)


if __name__ == "__main__":
    unittest.main()
